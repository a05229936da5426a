using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Smime.Inbound.RawMime;
using MimeKit.Utils;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Writes the delivered message: header fields edited at the byte level (our stamps first, incoming X-EEA-* gone,
/// an optional Subject tag), every other byte copied as it was, so a multipart/signed that stays signed keeps its
/// exact bytes and its signature.
/// </summary>
internal static class InboundMessageWriter
{
    private static readonly byte[] CrLf = { (byte)'\r', (byte)'\n' };

    /// <summary>Fields trace the path of the message; the outer ones stay even when an inner message is presented.</summary>
    private static readonly HashSet<string> TraceFields = new(StringComparer.OrdinalIgnoreCase) { "Received", "Return-Path" };

    /// <summary>The original message with only its top-level header fields edited.</summary>
    public static void WriteOriginal(MimeSlice message, IReadOnlyList<HeaderField> stamps, string? subjectTag, Stream destination)
    {
        var fields = message.Headers.Fields.Where(f => !IsAgentField(f)).ToList();
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(message.Source, FieldsEnd(message), message.End), destination);
    }

    /// <summary>
    /// The outer header fields (without their Content-* fields) over the delivered entity: its Content-* fields and
    /// its body. When an embedded message is presented, its own header fields replace the outer ones of the same name.
    /// </summary>
    public static void WriteDecrypted(MimeSlice outer, MimeSlice delivered, bool deliveredIsMessage, IReadOnlyList<HeaderField> stamps, string? subjectTag, Stream destination)
    {
        var fields = new List<HeaderField>();
        var innerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (deliveredIsMessage)
        {
            foreach (var field in delivered.Headers.Fields.Where(f => !IsBodyField(f) && !IsAgentField(f) && f.Name.Length > 0))
            {
                innerNames.Add(field.Name);
            }
        }

        fields.AddRange(outer.Headers.Fields.Where(f => !IsBodyField(f) && !IsAgentField(f)
            && (!innerNames.Contains(f.Name) || TraceFields.Contains(f.Name))));
        if (deliveredIsMessage)
        {
            fields.AddRange(delivered.Headers.Fields.Where(f => !IsBodyField(f) && !IsAgentField(f) && !TraceFields.Contains(f.Name)));
        }

        if (!fields.Any(f => f.Is("MIME-Version")))
        {
            fields.Add(HeaderField.Create("MIME-Version", "1.0"));
        }

        fields.AddRange(delivered.Headers.Fields.Where(f => f.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)));
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(delivered.Source, FieldsEnd(delivered), delivered.End), destination);
    }

    /// <summary>Header names starting with X-EEA- belong to the agent: from outside they are forgeries.</summary>
    public static bool IsAgentField(HeaderField field) => field.Name.StartsWith(InboundSmimeHeaders.Prefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsBodyField(HeaderField field) => field.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || field.Is("MIME-Version");

    /// <summary>Where the fields end and the empty line (if any) begins.</summary>
    private static long FieldsEnd(MimeSlice entity) => entity.Start + entity.Headers.Fields.Sum(f => (long)f.Raw.Length);

    private static List<HeaderField> ApplySubjectTag(List<HeaderField> fields, string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return fields;
        }

        var index = fields.FindIndex(f => f.Is("Subject"));
        if (index < 0)
        {
            fields.Add(HeaderField.Create("Subject", EncodeTag(tag!)));
            return fields;
        }

        var subject = fields[index];
        if (subject.Value.StartsWith(tag!, StringComparison.Ordinal) || subject.Value.StartsWith(EncodeTag(tag!), StringComparison.Ordinal))
        {
            return fields;
        }

        // "Subject: <tag> <original value bytes>": the original value keeps its own folding and encoded-words.
        var valueStart = subject.ValueOffset;
        while (valueStart < subject.Raw.Length && subject.Raw[valueStart] is (byte)' ' or (byte)'\t')
        {
            valueStart++;
        }

        var original = subject.Raw.AsSpan(valueStart).ToArray();
        var prefix = Encoding.ASCII.GetBytes(subject.Name + ": " + EncodeTag(tag!) + " ");
        var raw = new byte[prefix.Length + original.Length];
        prefix.CopyTo(raw, 0);
        original.CopyTo(raw, prefix.Length);
        fields[index] = new HeaderField(subject.Name, raw, subject.Name.Length + 1);
        return fields;
    }

    /// <summary>An ASCII tag as it is; anything else as an RFC 2047 encoded-word.</summary>
    private static string EncodeTag(string tag)
    {
        foreach (var c in tag)
        {
            if (c is < ' ' or > '~')
            {
                return Encoding.ASCII.GetString(Rfc2047.EncodeText(Encoding.UTF8, tag));
            }
        }

        return tag;
    }

    private static void WriteFields(IReadOnlyList<HeaderField> stamps, List<HeaderField> fields, Stream destination)
    {
        foreach (var field in stamps.Concat(fields))
        {
            destination.Write(field.Raw, 0, field.Raw.Length);
            if (field.Raw.Length == 0 || field.Raw[field.Raw.Length - 1] != (byte)'\n')
            {
                destination.Write(CrLf, 0, CrLf.Length);
            }
        }
    }

    private static void Copy(Stream from, Stream to)
    {
        using (from)
        {
            from.CopyTo(to, 64 * 1024);
        }
    }
}
