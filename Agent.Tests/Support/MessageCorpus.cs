using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tests.Smime;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>The shapes of mail the property tests generate.</summary>
public enum MessageShape
{
    Plain,
    Html,
    Alternative,
    Attachment,
    EightBitUtf8,
    Latin1,
    ShiftJis,
    LongLines,
    NestedRfc822,
    AlreadySigned,
    NoMimeHeaders,
}

/// <summary>One generated message and, built alongside it (not computed by the code under test), its body entity.</summary>
public sealed class GeneratedMessage
{
    public GeneratedMessage(MessageShape shape, bool bareLf, byte[] message, byte[] entity)
    {
        Shape = shape;
        BareLf = bareLf;
        Message = message;
        Entity = entity;
    }

    public MessageShape Shape { get; }

    public bool BareLf { get; }

    public byte[] Message { get; }

    /// <summary>The Content-* fields (MIME-Version excluded), the empty line and the body, byte for byte.</summary>
    public byte[] Entity { get; }

    public override string ToString() => $"{Shape}{(BareLf ? " (bare LF)" : string.Empty)}, {Message.Length} bytes";
}

/// <summary>
/// Generates varied messages: plain, HTML, multipart/alternative, attachments, 8-bit, non-UTF-8 charsets, lines
/// longer than 998 characters, bare LF, nested message/rfc822 and already-signed multipart/signed.
/// </summary>
internal static class MessageCorpus
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private static readonly string[] Words =
    {
        "invoice", "Gr\u00fc\u00dfe", "na\u00efve", "caf\u00e9", "\u65e5\u672c\u8a9e", "From", "--b1", ".", "total", "=3D", "  ", "\t", "M\u00fcller",
        "stra\u00dfe", "quarterly", "\u20ac", "report", "begin 644", "=?utf-8?q?x?=", "\u00a0", "end",
    };

    public static Gen<GeneratedMessage> Messages { get; } =
        Gen.Select(Gen.Enum<MessageShape>(), Gen.Bool, Gen.Int[0, 4000], Gen.Int, (shape, bareLf, size, seed) => Build(shape, bareLf, size, seed));

    public static GeneratedMessage Build(MessageShape shape, bool bareLf, int size, int seed)
    {
        var random = new Random(seed);
        var outer = "From: Carol <carol@contoso.example>\r\nTo: alice@fabrikam.example\r\nSubject: case " + seed.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@contoso.example>\r\n";
        byte[] entityHeaders;
        byte[] body;
        switch (shape)
        {
            case MessageShape.Plain:
                entityHeaders = Ascii("Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n");
                body = Ascii(AsciiText(random, size));
                break;
            case MessageShape.Html:
                entityHeaders = Ascii("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n");
                body = Ascii("<html><body><p>" + AsciiText(random, size).Replace("\r\n", "</p>=\r\n<p>", StringComparison.Ordinal) + "</p></body></html>\r\n");
                break;
            case MessageShape.Alternative:
                entityHeaders = Ascii("Content-Type: multipart/alternative;\r\n boundary=\"alt-" + seed + "\"\r\n");
                body = Ascii($"--alt-{seed}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{AsciiText(random, size / 2)}\r\n--alt-{seed}\r\n"
                    + $"Content-Type: text/html; charset=us-ascii\r\n\r\n<p>{AsciiText(random, size / 2)}</p>\r\n--alt-{seed}--\r\n");
                break;
            case MessageShape.Attachment:
                var binary = new byte[size];
                random.NextBytes(binary);
                entityHeaders = Ascii("Content-Type: multipart/mixed; boundary=\"mix\"\r\nContent-Language: en\r\n");
                body = Ascii("preamble\r\n--mix\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--mix\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
                    + "Content-Disposition: attachment; filename=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Convert.ToBase64String(binary, Base64FormattingOptions.InsertLineBreaks) + "\r\n--mix--\r\nepilogue\r\n");
                break;
            case MessageShape.EightBitUtf8:
                entityHeaders = Ascii("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n");
                body = Encoding.UTF8.GetBytes(Text(random, size));
                break;
            case MessageShape.Latin1:
                entityHeaders = Ascii("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n");
                body = Latin1.GetBytes(new string(Text(random, size).Select(c => c < 256 ? c : '?').ToArray()));
                break;
            case MessageShape.ShiftJis:
                entityHeaders = Ascii("Content-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: 8bit\r\n");
                body = Enumerable.Range(0, size).Select(i => i % 40 == 39 ? (byte)'\n' : (byte)random.Next(0x81, 0xFD)).ToArray();
                break;
            case MessageShape.LongLines:
                entityHeaders = Ascii("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: binary\r\n");
                body = Encoding.UTF8.GetBytes(new string('x', 1000 + size) + "\r\n" + Text(random, size).Replace("\r\n", " ", StringComparison.Ordinal) + "\r\n");
                break;
            case MessageShape.NestedRfc822:
                var inner = Build(MessageShape.EightBitUtf8, false, size, seed + 1);
                entityHeaders = Ascii("Content-Type: multipart/mixed; boundary=\"outer\"\r\n");
                body = Ascii("--outer\r\nContent-Type: text/plain\r\n\r\nforwarded:\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n")
                    .Concat(inner.Message).Concat(Ascii("\r\n--outer--\r\n")).ToArray();
                break;
            case MessageShape.AlreadySigned:
                var plain = Build(MessageShape.Plain, false, size, seed + 1);
                var signed = SmimeTestKit.Apply(new SmimeSignTransform(TestPki.Shared.SignerEntry), plain.Message);
                var start = SmimeTestKit.IndexOf(signed, Ascii("Content-Type: multipart/signed"));
                var separator = SmimeTestKit.IndexOf(signed, Ascii("\r\n\r\n"), start);
                entityHeaders = signed.Skip(start).Take(separator + 2 - start).ToArray();
                body = signed.Skip(separator + 4).ToArray();
                break;
            case MessageShape.NoMimeHeaders:
                entityHeaders = Array.Empty<byte>();
                body = Ascii(AsciiText(random, size));
                outer = outer.Replace("MIME-Version: 1.0\r\n", string.Empty, StringComparison.Ordinal);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }

        var mimeVersion = shape == MessageShape.NoMimeHeaders ? string.Empty : "MIME-Version: 1.0\r\n";
        var message = Ascii(outer + mimeVersion).Concat(entityHeaders).Concat(Ascii("\r\n")).Concat(body).ToArray();
        var entity = entityHeaders.Concat(Ascii("\r\n")).Concat(body).ToArray();
        if (bareLf && shape != MessageShape.AlreadySigned)
        {
            message = ToBareLf(message);
            entity = ToBareLf(entity);
        }

        return new GeneratedMessage(shape, bareLf && shape != MessageShape.AlreadySigned, message, entity);
    }

    private static string Text(Random random, int size)
    {
        var text = new StringBuilder();
        while (text.Length < size)
        {
            text.Append(Words[random.Next(Words.Length)]);
            text.Append(random.Next(8) == 0 ? "\r\n" : " ");
        }

        return text.Append("\r\n").ToString();
    }

    private static string AsciiText(Random random, int size)
        => new string(Text(random, size).Select(c => c < 128 ? c : 'a').ToArray());

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] ToBareLf(byte[] bytes)
    {
        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\r' && i + 1 < bytes.Length && bytes[i + 1] == (byte)'\n')
            {
                continue;
            }

            result.Add(bytes[i]);
        }

        return result.ToArray();
    }
}
