namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// The line-level header syntax every raw reader shares (RFC 5322 §2.2, §3.6.8), chosen to give the answers MimeKit's
/// parser gives, because MimeKit (evaluation) and Exchange read the same bytes after us: a line ends at LF only (a bare
/// CR is a character of the line, as in MimeKit); only an empty line ends the header block; a line starting with space
/// or tab continues the line before it; a line that is neither a field nor a continuation is still part of the header
/// block (MimeKit keeps it as an invalid header and goes on reading fields after it, so a field behind it must be seen
/// by us too).
/// </summary>
internal static class HeaderLineSyntax
{
    /// <summary>The length of <paramref name="line"/>'s first <paramref name="length"/> bytes without its CRLF or LF.</summary>
    public static int ContentLength(byte[] line, int length)
    {
        if (length > 0 && line[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && line[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        return length;
    }

    /// <summary>True for a line that continues the one before it (RFC 5322 §2.2.3 folding).</summary>
    public static bool IsContinuation(byte[] line, int length) => length > 0 && line[0] is (byte)' ' or (byte)'\t';

    /// <summary>
    /// Index of the colon ending a valid field name, or -1: one or more printable ASCII characters other than colon
    /// (RFC 5322 §2.2), then optional blanks before the colon (the obsolete syntax of §4.5.3 that MimeKit accepts).
    /// A blank inside the name, a control character, a NUL or an 8-bit byte make the line a non-field line.
    /// </summary>
    public static int FieldNameEnd(byte[] line, int length)
    {
        var i = 0;
        while (i < length && line[i] > 32 && line[i] < 127 && line[i] != (byte)':')
        {
            i++;
        }

        if (i == 0)
        {
            return -1;
        }

        while (i < length && line[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i < length && line[i] == (byte)':' ? i : -1;
    }
}
