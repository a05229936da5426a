using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content;

/// <summary>One Microsoft Purview sensitivity label read from the msip_labels header.</summary>
internal sealed class SensitivityLabel
{
    private readonly Guid? _guid;

    /// <summary>Creates a label.</summary>
    public SensitivityLabel(string id, string? name, bool enabled)
    {
        Id = Guard.NotNull(id);
        Name = name?.Trim();
        Enabled = enabled;
        _guid = Guid.TryParse(id.Trim('{', '}'), out var guid) ? guid : null;
    }

    /// <summary>The label GUID as written in the header (no braces).</summary>
    public string Id { get; }

    /// <summary>The label's display name (MSIP_Label_..._Name), when present.</summary>
    public string? Name { get; }

    /// <summary>MSIP_Label_..._Enabled=true.</summary>
    public bool Enabled { get; }

    /// <summary>True when <paramref name="idOrName"/> is this label's GUID (braces optional) or its name (case-insensitive).</summary>
    public bool Matches(string idOrName) => Matches(new LabelSelector(Guard.NotNull(idOrName)));

    internal bool Matches(LabelSelector selector)
        => selector.Id is { } wanted
            ? _guid == wanted
            : Name is not null && string.Equals(Name, selector.Text, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses "MSIP_Label_&lt;guid&gt;_Enabled=true; MSIP_Label_&lt;guid&gt;_Name=Confidential; ..." into the enabled labels.
    /// Anything that does not fit the pattern is ignored.
    /// </summary>
    public static IReadOnlyList<SensitivityLabel> ParseMsipLabels(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return Array.Empty<SensitivityLabel>();
        }

        const string Prefix = "MSIP_Label_";
        var enabled = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var rawPair in headerValue!.Split(';'))
        {
            var pair = rawPair.Trim();
            var equals = pair.IndexOf('=');
            if (!pair.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || equals < 0)
            {
                continue;
            }

            var key = pair.Substring(Prefix.Length, equals - Prefix.Length);
            var underscore = key.LastIndexOf('_');
            if (underscore <= 0)
            {
                continue;
            }

            var id = key.Substring(0, underscore).Trim('{', '}');
            var property = key.Substring(underscore + 1);
            var value = pair.Substring(equals + 1).Trim();
            if (!enabled.ContainsKey(id) && !names.ContainsKey(id))
            {
                order.Add(id);
            }

            if (property.Equals("Enabled", StringComparison.OrdinalIgnoreCase))
            {
                enabled[id] = value.Equals("true", StringComparison.OrdinalIgnoreCase);
            }
            else if (property.Equals("Name", StringComparison.OrdinalIgnoreCase))
            {
                names[id] = value;
            }
        }

        var labels = new List<SensitivityLabel>();
        foreach (var id in order)
        {
            if (enabled.TryGetValue(id, out var isEnabled) && isEnabled)
            {
                names.TryGetValue(id, out var name);
                labels.Add(new SensitivityLabel(id, name, isEnabled));
            }
        }

        return labels;
    }
}
