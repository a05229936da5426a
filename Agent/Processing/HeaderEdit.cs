using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>One edit of the top-level header block.</summary>
internal abstract class HeaderEdit
{
    private protected HeaderEdit()
    {
    }

    /// <summary>Replace every <paramref name="name"/> field with one holding <paramref name="value"/>.</summary>
    public static HeaderEdit Set(string name, string value) => new SetEdit(Guard.NotNull(name), Guard.NotNull(value));

    /// <summary>Remove every <paramref name="name"/> field.</summary>
    public static HeaderEdit Remove(string name) => new RemoveEdit(Guard.NotNull(name));

    /// <summary>Put <paramref name="text"/> in front of the Subject, unless it is already there.</summary>
    public static HeaderEdit PrependSubject(string text) => new PrependSubjectEdit(Guard.NotNull(text));

    internal abstract void Apply(List<RawHeaderField> fields, string lineEnding);

    /// <summary>Identifies the edit with its values, so equal edit lists group recipients into one copy.</summary>
    internal abstract string Key { get; }

    /// <summary>Equal when the edit and its values are (treatments compare their edit lists by content).</summary>
    public override bool Equals(object? obj) => obj is HeaderEdit other && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    private sealed class SetEdit : HeaderEdit
    {
        private readonly string _name;
        private readonly string _value;

        public SetEdit(string name, string value)
        {
            _name = name;
            _value = value;
        }

        internal override void Apply(List<RawHeaderField> fields, string lineEnding)
        {
            fields.RemoveAll(f => f.Is(_name));
            fields.Add(RawHeaderField.Create(_name, _value, lineEnding));
        }

        internal override string Key => $"set\u0001{_name}\u0001{_value}";

        public override string ToString() => $"SetHeader {_name}";
    }

    private sealed class RemoveEdit : HeaderEdit
    {
        private readonly string _name;

        public RemoveEdit(string name) => _name = name;

        internal override void Apply(List<RawHeaderField> fields, string lineEnding) => fields.RemoveAll(f => f.Is(_name));

        internal override string Key => $"remove\u0001{_name}";

        public override string ToString() => $"RemoveHeader {_name}";
    }

    private sealed class PrependSubjectEdit : HeaderEdit
    {
        private readonly string _text;

        public PrependSubjectEdit(string text) => _text = text;

        internal override void Apply(List<RawHeaderField> fields, string lineEnding)
        {
            // The text is the administrator's, spaces included: Exchange's own "prepend the subject" adds none either.
            SubjectField.Prepend(fields, _text, string.Empty, lineEnding);
        }

        internal override string Key => $"prepend\u0001{_text}";

        public override string ToString() => $"PrependSubject {_text}";
    }
}
