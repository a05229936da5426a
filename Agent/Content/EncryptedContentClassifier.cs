using System;
using System.IO;
using System.Text;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Decides from the content, never from a label, whether a top-level entity is encrypted or signed. The one answer
/// every "already encrypted" question uses (MessageTypeMatches, the treatment of must-encrypt recipients, the
/// leak check): a label anyone can write must never let plain text out.
/// </summary>
/// <remarks>
/// <para>S/MIME: an application/pkcs7-mime body is encrypted only when its CMS ContentInfo (RFC 5652 §3) has the
/// contentType envelopedData (RFC 5652 §6) or authEnvelopedData (RFC 5083); signedData is signed (readable by
/// anyone: the S/MIME v2 opaque-signed case); anything else is neither. Whatever smime-type says.</para>
/// <para>PGP/MIME: multipart/encrypted is encrypted only with the RFC 3156 §4 structure: protocol
/// application/pgp-encrypted, exactly two parts, the first application/pgp-encrypted holding "Version: 1", the second
/// application/octet-stream holding an ASCII-armored PGP MESSAGE whose first packet is a public-key or symmetric-key
/// encrypted session key (RFC 4880 §5.1, §5.3), as every encrypted OpenPGP message starts.</para>
/// <para>Only a bounded prefix of each part is read, so the answer costs the same for any message size.</para>
/// </remarks>
internal static class EncryptedContentClassifier
{
    /// <summary>How much decoded content is read from one part: a DER prefix or an armor header fits many times.</summary>
    private const int PrefixBytes = 8192;

    // DER bodies of the content-type object identifiers.
    private static readonly byte[] EnvelopedData = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03 };
    private static readonly byte[] SignedData = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
    private static readonly byte[] AuthEnvelopedData = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x17 };

    /// <summary><see cref="MessageTypes.Encrypted"/>, <see cref="MessageTypes.Signed"/>, both, or none, for a top-level body.</summary>
    public static MessageTypes Classify(MimeEntity body)
    {
        var type = Guard.NotNull(body).ContentType;
        if (type.IsMimeType("multipart", "encrypted"))
        {
            return body is Multipart multipart && IsPgpMime(multipart) ? MessageTypes.Encrypted : MessageTypes.None;
        }

        if (type.IsMimeType("multipart", "signed"))
        {
            // The signed content (first part) may itself be encrypted; judged the same way.
            var inner = body is Multipart { Count: > 0 } signed ? signed[0] : null;
            return MessageTypes.Signed | (inner is null ? MessageTypes.None : Classify(inner) & MessageTypes.Encrypted);
        }

        if ((type.IsMimeType("application", "pkcs7-mime") || type.IsMimeType("application", "x-pkcs7-mime")) && body is MimePart part)
        {
            return ClassifyCms(ReadPrefix(part));
        }

        return MessageTypes.None;
    }

    private static MessageTypes ClassifyCms(byte[] der)
    {
        // ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }; BER allows the
        // indefinite length form for the SEQUENCE, DER does not; both are accepted here.
        if (der.Length < 2 || der[0] != 0x30)
        {
            return MessageTypes.None;
        }

        var offset = 1;
        if (!SkipLength(der, ref offset) || offset + 2 > der.Length || der[offset] != 0x06)
        {
            return MessageTypes.None;
        }

        var oidLength = der[offset + 1];
        var oidStart = offset + 2;
        if (oidLength >= 0x80 || oidStart + oidLength > der.Length)
        {
            return MessageTypes.None;
        }

        var oid = new ArraySegment<byte>(der, oidStart, oidLength);
        if (Equal(oid, EnvelopedData) || Equal(oid, AuthEnvelopedData))
        {
            return MessageTypes.Encrypted;
        }

        return Equal(oid, SignedData) ? MessageTypes.Signed : MessageTypes.None;
    }

    private static bool SkipLength(byte[] der, ref int offset)
    {
        if (offset >= der.Length)
        {
            return false;
        }

        var first = der[offset++];
        if (first < 0x80 || first == 0x80)
        {
            return true;
        }

        var count = first & 0x7F;
        if (count > 4 || offset + count > der.Length)
        {
            return false;
        }

        offset += count;
        return true;
    }

    private static bool Equal(ArraySegment<byte> actual, byte[] expected)
    {
        if (actual.Count != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (actual.Array![actual.Offset + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPgpMime(Multipart multipart)
    {
        var protocol = multipart.ContentType.Parameters["protocol"];
        if (protocol is null || !protocol.Trim().Equals("application/pgp-encrypted", StringComparison.OrdinalIgnoreCase)
            || multipart.Count != 2
            || multipart[0] is not MimePart control || !control.ContentType.IsMimeType("application", "pgp-encrypted")
            || multipart[1] is not MimePart payload || !payload.ContentType.IsMimeType("application", "octet-stream"))
        {
            return false;
        }

        var controlText = Encoding.ASCII.GetString(ReadPrefix(control));
        var hasVersion = false;
        foreach (var line in controlText.Split('\n'))
        {
            hasVersion |= line.Trim().Equals("Version: 1", StringComparison.Ordinal);
        }

        return hasVersion && StartsWithEncryptedPgpMessage(Encoding.ASCII.GetString(ReadPrefix(payload)));
    }

    /// <summary>An armored PGP MESSAGE (RFC 4880 §6.2) whose first packet is an encrypted session key.</summary>
    private static bool StartsWithEncryptedPgpMessage(string text)
    {
        const string Armor = "-----BEGIN PGP MESSAGE-----";
        var lines = text.TrimStart().Split('\n');
        if (lines.Length < 3 || lines[0].TrimEnd() != Armor)
        {
            return false;
        }

        // Armor headers ("Version: ...", "Comment: ...") end at an empty line; the base64 data follows.
        var i = 1;
        while (i < lines.Length && lines[i].Trim().Length > 0)
        {
            i++;
        }

        var data = i + 1 < lines.Length ? lines[i + 1].Trim() : string.Empty;
        if (data.Length < 4)
        {
            return false;
        }

        byte[] first;
        try
        {
            first = Convert.FromBase64String(data.Substring(0, 4));
        }
        catch (FormatException)
        {
            return false;
        }

        var header = first[0];
        if ((header & 0x80) == 0)
        {
            return false;
        }

        // New format: tag in the low six bits; old format: bits 5..2 (RFC 4880 §4.2).
        var tag = (header & 0x40) != 0 ? header & 0x3F : (header >> 2) & 0x0F;
        return tag == 1 || tag == 3;
    }

    private static byte[] ReadPrefix(MimePart part)
    {
        try
        {
            using var stream = part.Content?.Open();
            if (stream is null)
            {
                return Array.Empty<byte>();
            }

            var buffer = new byte[PrefixBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            Array.Resize(ref buffer, total);
            return buffer;
        }
#pragma warning disable CA1031 // Unreadable content is not encrypted content; never an exception for bad mail.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Array.Empty<byte>();
        }
    }
}
