using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>A HasSensitivityLabel value, parsed once: a label GUID, or else a label name.</summary>
internal readonly struct LabelSelector
{
    public LabelSelector(string idOrName)
    {
        Text = idOrName.Trim();
        Id = Guid.TryParse(Text.Trim('{', '}'), out var id) ? id : null;
    }

    public string Text { get; }

    public Guid? Id { get; }
}
