using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// Writes small TNEF streams (MS-OXTNEF) for tests that need a property the real samples lack: a meeting-request
/// message class, a sensitivity, a word that exists only inside the TNEF body, an attachment with a chosen name.
/// </summary>
internal static class TnefSample
{
    private const byte MessageLevel = 1;
    private const byte AttachmentLevel = 2;

    /// <summary>A TNEF stream with the message class, a plain-text body, an optional PR_SENSITIVITY and attachment.</summary>
    public static byte[] Build(string messageClass, string body, int? sensitivity = null, string? attachmentName = null, byte[]? attachmentData = null)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(0x223E9F78u); // TNEF signature
        writer.Write((ushort)0x0001); // legacy key
        Attribute(writer, MessageLevel, 0x00089006, BitConverter.GetBytes(0x00010000)); // attTnefVersion
        Attribute(writer, MessageLevel, 0x00069007, Concat(BitConverter.GetBytes(1252), BitConverter.GetBytes(0))); // attOemCodepage
        Attribute(writer, MessageLevel, 0x00078008, Encoding.ASCII.GetBytes(messageClass + "\0")); // attMessageClass
        Attribute(writer, MessageLevel, 0x0002800C, Encoding.ASCII.GetBytes(body)); // attBody
        if (sensitivity is { } value)
        {
            // attMAPIProps: one property, PR_SENSITIVITY (0x0036, PT_LONG).
            var properties = Concat(BitConverter.GetBytes(1), BitConverter.GetBytes((ushort)0x0003), BitConverter.GetBytes((ushort)0x0036), BitConverter.GetBytes(value));
            Attribute(writer, MessageLevel, 0x00069003, properties);
        }

        if (attachmentName is not null)
        {
            // attAttachRenderData: a file attachment (AttachType 1), no rendering position.
            var render = Concat(BitConverter.GetBytes((ushort)1), BitConverter.GetBytes(-1), BitConverter.GetBytes((ushort)0), BitConverter.GetBytes((ushort)0), BitConverter.GetBytes(0));
            Attribute(writer, AttachmentLevel, 0x00069002, render);
            Attribute(writer, AttachmentLevel, 0x00018010, Encoding.ASCII.GetBytes(attachmentName + "\0")); // attAttachTitle
            Attribute(writer, AttachmentLevel, 0x0006800F, attachmentData ?? Encoding.ASCII.GetBytes("attachment")); // attAttachData
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>
    /// A TNEF stream whose one message-level attribute (attMAPIProps, or attRecipTable as one row) holds a single
    /// multi-valued PT_NULL property claiming <paramref name="valueCount"/> values in the few bytes that follow.
    /// </summary>
    public static byte[] WithNullValues(int valueCount, bool recipientTable)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        WriteNoteStart(writer);

        // One property: PT_MV_NULL (0x1001), id 0x6700, its value count, then nothing a value could be read from.
        var property = Concat(BitConverter.GetBytes((ushort)0x1001), BitConverter.GetBytes((ushort)0x6700), BitConverter.GetBytes(valueCount), new byte[8]);
        var list = Concat(BitConverter.GetBytes(1), property);
        Attribute(writer, MessageLevel, recipientTable ? 0x00069004u : 0x00069003u, recipientTable ? Concat(BitConverter.GetBytes(1), list) : list);
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>
    /// A TNEF stream with one attachment whose PR_ATTACH_DATA_BIN (PT_BINARY, inside attAttachment) claims
    /// <paramref name="claimedLength"/> bytes while a few follow; with <paramref name="inAttribute"/>, the length is
    /// instead the attAttachData attribute's own (the attribute, not a property, claims the gigabytes).
    /// </summary>
    public static byte[] WithHugeBinaryLength(int claimedLength, bool inAttribute)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        WriteNoteStart(writer);
        var render = Concat(BitConverter.GetBytes((ushort)1), BitConverter.GetBytes(-1), BitConverter.GetBytes((ushort)0), BitConverter.GetBytes((ushort)0), BitConverter.GetBytes(0));
        Attribute(writer, AttachmentLevel, 0x00069002, render); // attAttachRenderData
        Attribute(writer, AttachmentLevel, 0x00018010, Encoding.ASCII.GetBytes("huge.bin\0")); // attAttachTitle
        var tail = new byte[16];
        if (inAttribute)
        {
            // attAttachData whose length field claims the gigabytes; 16 bytes follow, then the stream ends.
            writer.Write(AttachmentLevel);
            writer.Write(0x0006800Fu);
            writer.Write(claimedLength);
            writer.Write(tail);
        }
        else
        {
            // attAttachment: one property, PR_ATTACH_DATA_BIN (0x3701, PT_BINARY 0x0102), one value claiming the gigabytes.
            var properties = Concat(BitConverter.GetBytes(1), BitConverter.GetBytes((ushort)0x0102), BitConverter.GetBytes((ushort)0x3701), BitConverter.GetBytes(1), BitConverter.GetBytes(claimedLength), tail);
            Attribute(writer, AttachmentLevel, 0x00069005, properties);
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>An RFC 5322 message whose content is the TNEF as winmail.dat, after an optional plain-text part.</summary>
    public static string Message(byte[] tnef, string from = "alice@contoso.example", string to = "dave@fabrikam.example", string subject = "Status", string? outerText = "See the attached message.")
    {
        var builder = new StringBuilder();
        builder.Append("From: ").Append(from).Append("\r\n");
        builder.Append("To: ").Append(to).Append("\r\n");
        builder.Append("Subject: ").Append(subject).Append("\r\n");
        builder.Append("Message-ID: <tnef-").Append(Guid.NewGuid().ToString("N")).Append("@contoso.example>\r\n");
        builder.Append("X-MS-TNEF-Correlator: <tnef@contoso.example>\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        builder.Append("Content-Type: multipart/mixed; boundary=\"tnef-boundary\"\r\n\r\n");
        if (outerText is not null)
        {
            builder.Append("--tnef-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").Append(outerText).Append("\r\n");
        }

        builder.Append("--tnef-boundary\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n");
        builder.Append("Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n");
        builder.Append(Convert.ToBase64String(tnef, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        builder.Append("--tnef-boundary--\r\n");
        return builder.ToString();
    }

    /// <summary>The TNEF signature, legacy key, version and an IPM.Note message class: what every hostile sample starts with.</summary>
    private static void WriteNoteStart(BinaryWriter writer)
    {
        writer.Write(0x223E9F78u); // TNEF signature
        writer.Write((ushort)0x0001); // legacy key
        Attribute(writer, MessageLevel, 0x00089006, BitConverter.GetBytes(0x00010000)); // attTnefVersion
        Attribute(writer, MessageLevel, 0x00078008, Encoding.ASCII.GetBytes("IPM.Note\0")); // attMessageClass
    }

    private static void Attribute(BinaryWriter writer, byte level, uint tag, byte[] data)
    {
        writer.Write(level);
        writer.Write(tag);
        writer.Write(data.Length);
        writer.Write(data);
        var checksum = 0;
        foreach (var b in data)
        {
            checksum += b;
        }

        writer.Write((ushort)(checksum & 0xFFFF));
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var part in parts)
        {
            all.AddRange(part);
        }

        return all.ToArray();
    }
}
