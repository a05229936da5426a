using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

public sealed class HeaderEditTransformTests
{
    private const string Body = "--b\r\nContent-Type: text/plain\r\n\r\n\u00e9t\u00e9 raw 8-bit\r\n--b--\r\n";

    private static readonly string Message =
        "From: a@contoso.com\r\n" +
        "To: b@fabrikam.com\r\n" +
        "Subject: =?utf-8?q?Caf=C3=A9?= report\r\n" +
        "X-Old: one\r\n" +
        "X-Folded: first\r\n\tsecond\r\n" +
        "X-Old: two\r\n" +
        "Content-Type: multipart/mixed; boundary=b\r\n" +
        "\r\n" + Body;

    [Fact]
    public void Edits_ChangeOnlyTheHeaders_AndKeepTheBodyBytes()
    {
        var output = Apply(Message, HeaderEdit.Remove("x-old"), HeaderEdit.Set("X-EEA-Policy", "rules=r1"), HeaderEdit.PrependSubject("[secure] "));

        var (headers, body) = Split(output);
        Assert.Equal(Encoding.UTF8.GetBytes(Body), body);
        Assert.DoesNotContain("X-Old", headers, StringComparison.Ordinal);
        Assert.Contains("X-Folded: first\r\n\tsecond\r\n", headers, StringComparison.Ordinal);
        Assert.Contains("X-EEA-Policy: rules=r1\r\n", headers, StringComparison.Ordinal);
        var parsed = MimeMessage.Load(new MemoryStream(output));
        Assert.Equal("[secure] Caf\u00e9 report", parsed.Subject);
    }

    [Fact]
    public void PrependSubject_IsNotRepeated()
    {
        var once = Apply(Message, HeaderEdit.PrependSubject("[secure] "));
        var twice = Apply(Encoding.UTF8.GetString(once), HeaderEdit.PrependSubject("[secure] "));

        Assert.Equal("[secure] Caf\u00e9 report", MimeMessage.Load(new MemoryStream(twice)).Subject);
    }

    [Fact]
    public void NonAsciiValues_AreEncoded_AndBareLfMessagesKeepBareLf()
    {
        var lf = Message.Replace("\r\n", "\n", StringComparison.Ordinal);

        var output = Apply(lf, HeaderEdit.Set("X-Note", "gr\u00fc\u00df"));

        var text = Encoding.UTF8.GetString(output);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        var headerBytes = output.Take(output.Length - Encoding.UTF8.GetByteCount(Body.Replace("\r\n", "\n", StringComparison.Ordinal)));
        Assert.All(headerBytes, b => Assert.True(b < 128));
        Assert.Equal("gr\u00fc\u00df", MimeMessage.Load(new MemoryStream(output)).Headers["X-Note"]);
    }

    [Fact]
    public void MessageWithoutSubjectOrBody_GetsOne()
    {
        var output = Apply("From: a@b.c\r\n", HeaderEdit.PrependSubject("[x] "));

        Assert.Equal("From: a@b.c\r\nSubject: [x]\r\n\r\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void LineThatIsNotAField_StaysInTheHeaderBlock_AsMimeKitReadsIt()
    {
        // Only an empty line ends the header block (MimeKit, and the inbound reader, read on past such a line).
        var output = Apply("From: a@b.c\r\nthis line is not a header\r\n", HeaderEdit.Set("X-A", "1"));

        Assert.Equal("From: a@b.c\r\nthis line is not a header\r\nX-A: 1\r\n\r\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void OversizedHeaderBlock_IsATransformError()
    {
        var huge = "X-Big: " + new string('a', 17 * 1024 * 1024) + "\r\n\r\nbody";

        Assert.Throws<MessageTransformException>(() => Apply(huge, HeaderEdit.Set("X-A", "1")));
    }

    private static byte[] Apply(string message, params HeaderEdit[] edits)
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(message));
        using var destination = new MemoryStream();
        new HeaderEditTransform(edits).Apply(source, destination, CancellationToken.None);
        return destination.ToArray();
    }

    private static (string Headers, byte[] Body) Split(byte[] message)
    {
        var text = Encoding.UTF8.GetString(message);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var headerBytes = Encoding.UTF8.GetByteCount(text[..end]);
        return (text[..end], message[headerBytes..]);
    }
}
