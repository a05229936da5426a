using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

    [Fact]
    public void VectorisedLineCheck_AgreesWithTheLineByLineReference_OnEveryFlawAtEveryPosition()
    {
        // Each flaw the rules name, put at every offset of a block of clean lines (so at every lane of a vector and across
        // vector boundaries), must get the same answer from both checks, and a clean block must pass both.
        var clean = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 12).Select(i => new string((char)('A' + i), 10 + (i * 7)) + "\r\n")));
        Assert.True(SevenBitLines.AreCleanByLine(clean));
        Assert.True(SevenBitLines.AreCleanVectorized(clean));
        string[] flaws =
        {
            "\u00e9", "\0", "\r", "\n", " \r\n", "\t\r\n", "\r\nFrom x\r\n", "\r\ncontent-transfer-encoding: 8bit\r\n", "\r\n\n",
            "\r\n" + new string('L', 998) + "\r\n", "\r\n" + new string('L', 999) + "\r\n", "\r\n" + new string('L', 1030) + "\r\n",
        };
        foreach (var flaw in flaws.Select(f => Encoding.Latin1.GetBytes(f)))
        {
            for (var at = 0; at <= clean.Length - 2; at++)
            {
                var lines = clean.Take(at).Concat(flaw).Concat(clean.Skip(at)).ToArray();
                if (lines[^1] != (byte)'\n')
                {
                    continue;
                }

                Assert.Equal(SevenBitLines.AreCleanByLine(lines), SevenBitLines.AreCleanVectorized(lines));
            }
        }
    }

    [Fact]
    public void VectorisedLineCheck_AgreesWithTheReference_OnRandomLines()
    {
        // Lines of random length (up to past the limit) from a small alphabet that holds every byte the rules care about.
        var random = new Random(12);
        var alphabet = Encoding.Latin1.GetBytes("AFcCrom -:\t\r\n\u00ff\0abcXYZ0189+/=");
        var disagreements = 0;
        var cleanSeen = 0;
        for (var sample = 0; sample < 3000; sample++)
        {
            var text = new List<byte>();
            var lines = random.Next(1, 8);
            for (var l = 0; l < lines; l++)
            {
                var length = random.Next(4) == 0 ? random.Next(995, 1002) : random.Next(0, 90);
                var flawRate = random.Next(3) == 0 ? 40 : int.MaxValue;
                for (var i = 0; i < length; i++)
                {
                    // Harmless letters, with flaws in a third of the lines, so that clean samples (long lines
                    // included) occur and flaws sit at varied positions.
                    text.Add(random.Next(flawRate) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)('a' + random.Next(26)));
                }

                text.Add((byte)'\r');
                text.Add((byte)'\n');
            }

            var bytes = text.ToArray();
            var reference = SevenBitLines.AreCleanByLine(bytes);
            cleanSeen += reference ? 1 : 0;
            disagreements += reference == SevenBitLines.AreCleanVectorized(bytes) ? 0 : 1;
        }

        Assert.Equal(0, disagreements);
        Assert.InRange(cleanSeen, 100, 2900);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(65536)]
    public void BodyCheck_InPiecesOfAnySize_AgreesWithTheWholeBody(int pieceSize)
    {
        var line = new string('A', 76) + "\r\n";
        var body = string.Concat(Enumerable.Repeat(line, 3000));
        string[] bodies =
        {
            body, body + "no final line break", body + "trailing blank ", body.Insert(100_000, "From "),
            body.Insert(150_001, "\u00e9"), body + new string('x', 998), body + new string('x', 999), body + new string('y', 998) + "\r\n",
            body + new string('y', 999) + "\r\n", body.Insert(200_000, "\n"),
        };
        foreach (var text in bodies)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            using var whole = new SevenBitBodyCheck();
            whole.Append(bytes);
            var expected = whole.Complete();
            using var pieces = new SevenBitBodyCheck();
            for (var at = 0; at < bytes.Length; at += pieceSize)
            {
                pieces.Append(bytes.AsSpan(at, Math.Min(pieceSize, bytes.Length - at)));
            }

            Assert.Equal(expected, pieces.Complete());
            Assert.Equal(expected, IsClean(Outer + "Content-Type: text/plain\r\n\r\n" + text));
        }
    }

    private static bool IsClean(string message)
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var header = RawHeaderBlock.Read(source);
        return SevenBitCleanEntity.IsClean(source, header, CancellationToken.None);
    }
}
