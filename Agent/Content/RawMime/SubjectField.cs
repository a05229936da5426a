using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// The one Subject writer: tags put in front of a Subject (PrependSubject, the inbound verdict tags) and placeholder
/// Subjects (header protection). Values are encoded by <see cref="HeaderText"/>, so a non-ASCII tag or Subject becomes
/// encoded-words and a line break from configuration cannot start a field of its own.
/// </summary>
internal static class SubjectField
{
    /// <summary>The field name (RFC 5322 §3.6.5).</summary>
    public const string Name = "Subject";

    /// <summary>A Subject field holding <paramref name="value"/>.</summary>
    public static RawHeaderField Create(string value, string lineEnding = "\r\n") => RawHeaderField.Create(Name, value, lineEnding);

    /// <summary>
    /// Puts <paramref name="tag"/>, then <paramref name="separator"/>, in front of the first Subject field (adds one when
    /// there is none), unless its decoded text already starts with the tag (compared case-insensitively, as a reader
    /// would: a message tagged once, by us or by a hop before, is not tagged twice).
    /// </summary>
    public static void Prepend(List<RawHeaderField> fields, string tag, string separator, string lineEnding)
    {
        var trimmed = Guard.NotNull(tag).Trim();
        if (trimmed.Length == 0)
        {
            return;
        }

        var index = Guard.NotNull(fields).FindIndex(f => f.Is(Name));
        var current = index < 0 ? string.Empty : HeaderText.Decode(fields[index].UnfoldedBytes);
        if (current.StartsWith(trimmed, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var field = Create(current.Length == 0 ? tag : tag + separator + current, lineEnding);
        if (index < 0)
        {
            fields.Add(field);
        }
        else
        {
            fields[index] = field;
        }
    }
}
