using System;
using System.Text;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// The classes of hostile message issue 12 names, each written to about a given size, so that the cost of one class
/// can be compared at 1 MB and 8 MB: linear cost keeps the ratio near 8, a quadratic one near 64.
/// </summary>
internal static class HostileMessages
{
    private const string Top = "From: mallory@fabrikam.example\r\nTo: bob@contoso.com\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n";

    /// <summary>Header fields of about twelve bytes each: 1 MB is about 87,000 fields, 8 MB about 700,000.</summary>
    public static byte[] ManyHeaderFields(int size)
    {
        var eml = new StringBuilder(size + 256).Append(Top);
        for (var i = 0; eml.Length < size; i++)
        {
            eml.Append("X-F: ").Append((i % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return Ascii(eml.Append("\r\nbody\r\n"));
    }

    /// <summary>multipart/mixed inside multipart/mixed, each level a new boundary, all closed at the end.</summary>
    public static byte[] DeepNesting(int size)
    {
        const string Level = "--b{0}\r\nContent-Type: multipart/mixed; boundary=\"b{1}\"\r\n\r\n";
        var levels = size / (Level.Length + 10);
        var eml = new StringBuilder(size + 256).Append(Top).Append("Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (var i = 0; i < levels; i++)
        {
            eml.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, Level, i, i + 1);
        }

        eml.Append("--b").Append(levels).Append("\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n");
        for (var i = levels; i >= 0; i--)
        {
            eml.Append("--b").Append(i).Append("--\r\n");
        }

        return Ascii(eml);
    }

    /// <summary>A text attachment the content conditions read, in base64 broken by invalid characters and bad padding.</summary>
    public static byte[] BrokenBase64(int size)
    {
        var eml = new StringBuilder(size + 512).Append(Top).Append("Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n")
            .Append("--m\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n")
            .Append("--m\r\nContent-Type: text/plain; name=\"data.txt\"\r\nContent-Disposition: attachment; filename=\"data.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        const string Line = "SGVsbG8gd29y!!bGQgaGVs*bG8=d29ybGQ=aGVsbG8g\u00e9d29ybGQgaGVsbG8=gd29ybGQ==aGVs%bG8gd29ybGQgaGVsbG8=\r\n";
        while (eml.Length < size)
        {
            eml.Append(Line);
        }

        return Latin1(eml.Append("==\r\n--m--\r\n"));
    }

    /// <summary>A multipart whose boundary is never closed, its body full of lines that almost are the boundary.</summary>
    public static byte[] UnterminatedMultipart(int size)
    {
        var eml = new StringBuilder(size + 256).Append(Top).Append("Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n")
            .Append("--never-closed\r\nContent-Type: text/plain\r\n\r\n");
        while (eml.Length < size)
        {
            eml.Append("--never-close\r\n--never-closedx\r\nplain text that goes on and on without an end\r\n");
        }

        return Ascii(eml);
    }

    /// <summary>Random bytes with runs of NULs and bare CRs and LFs: no header block, no separator (seeded, so equal each run).</summary>
    public static byte[] BinaryGarbage(int size)
    {
        var bytes = new byte[size];
        new Random(12).NextBytes(bytes);
        for (var i = 0; i < size; i += 97)
        {
            bytes[i] = (i / 97 % 3) switch { 0 => 0, 1 => (byte)'\n', _ => (byte)':' };
        }

        return bytes;
    }

    /// <summary>Tens of thousands of parts of ten bytes each, every fourth an attachment.</summary>
    public static byte[] ManyTinyParts(int size)
    {
        var eml = new StringBuilder(size + 256).Append(Top).Append("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (var i = 0; eml.Length < size; i++)
        {
            eml.Append(i % 4 == 0 ? "--p\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\n" : "--p\r\n\r\n").Append("0123456789\r\n");
        }

        return Ascii(eml.Append("--p--\r\n"));
    }

    private static byte[] Ascii(StringBuilder eml) => Encoding.ASCII.GetBytes(eml.ToString());

    private static byte[] Latin1(StringBuilder eml) => Encoding.Latin1.GetBytes(eml.ToString());
}
