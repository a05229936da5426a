namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// The line-level syntax every raw header reader shares, so that the header-edit reader and the forged-field stripper
/// agree on which line starts a field (RFC 5322 §2.2, §3.6.8).
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

    /// <summary>Index of the colon ending a valid field name (printable ASCII except colon, trailing blanks allowed), or -1.</summary>
    public static int FieldNameEnd(byte[] line, int length)
    {
        for (var i = 0; i < length; i++)
        {
            var b = line[i];
            if (b == (byte)':')
            {
                return i == 0 ? -1 : i;
            }

            if ((b < 33 || b > 126) && b != (byte)' ' && b != (byte)'\t')
            {
                return -1;
            }
        }

        return -1;
    }
}
