using System.IO;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Smime;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>
/// Which entities a clear signature may cover as they are (<see cref="SevenBitCleanEntity"/>): anything a relay could
/// rewrite must take the re-encoding. The interop tests check that both paths verify with openssl and gpgsm.
/// </summary>
public sealed class SevenBitCleanEntityTests
{
    private const string Outer = "From: Carol <carol@contoso.example>\r\nTo: alice@fabrikam.example\r\nSubject: Gr\u00fc\u00dfe\r\nMIME-Version: 1.0\r\n";
    private const string CleanEntity = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n=46rom Carol\r\n";

    [Fact]
    public void QuotedPrintableText_IsClean_EvenUnderAnEightBitSubject()
    {
        // The top-level Subject is outside the signed entity: its 8-bit bytes do not matter here.
        Assert.True(IsClean(Outer + CleanEntity));
    }

    [Fact]
    public void BodyWithoutFinalLineBreak_IsClean()
    {
        Assert.True(IsClean(Outer + "Content-Type: text/plain\r\n\r\nno line break at the end"));
    }

    [Theory]
    [InlineData("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n")]
    [InlineData("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nonly 7-bit bytes under an 8bit label\r\n")]
    [InlineData("Content-Type: text/plain\r\ncontent-transfer-encoding:BINARY\r\n\r\nx\r\n")]
    [InlineData("Content-Type: text/plain\r\nContent-Transfer-Encoding:\r\n 8bit\r\n\r\nfolded label\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nx\r\n--b--\r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\nline\r\nFrom Carol\r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\ntrailing space \r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\ntrailing tab\t\r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\nbare\nline feed\r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\nbare\rcarriage return\r\n")]
    [InlineData("Content-Type: text/plain\r\n\r\nNUL \0 byte\r\n")]
    [InlineData("Content-Type: text/plain\n\nLF-only header\n")]
    [InlineData("Content-Type: text/plain\r\n\r\nlast line with trailing space ")]
    public void EntityARelayCouldChange_IsNotClean(string entity)
    {
        Assert.False(IsClean(Outer + entity));
    }

    [Fact]
    public void NoContentType_IsNotClean()
    {
        // The re-encoding writes the implied text/plain explicitly; without it the entity would have no fields.
        Assert.False(IsClean(Outer + "\r\nplain text\r\n"));
    }

    [Theory]
    [InlineData(998, true)]
    [InlineData(999, false)]
    public void LineLength_IsLimitedTo998Octets(int length, bool clean)
    {
        Assert.Equal(clean, IsClean(Outer + "Content-Type: text/plain\r\n\r\nfirst\r\n" + new string('x', length) + "\r\nlast\r\n"));
    }

    [Fact]
    public void EightBitByteFarIntoALargeBody_IsFound_AcrossReadBuffers()
    {
        var line = new string('A', 76) + "\r\n";
        var body = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            body.Append(line);
        }

        var clean = Outer + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body;
        Assert.True(IsClean(clean));
        Assert.False(IsClean(clean + "\u00e9\r\n"));
        Assert.False(IsClean(clean.Insert(clean.Length - (line.Length * 9000), "From ")));
    }

    private static bool IsClean(string message)
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var header = RawHeaderBlock.Read(source);
        return SevenBitCleanEntity.IsClean(source, header, CancellationToken.None);
    }
}
