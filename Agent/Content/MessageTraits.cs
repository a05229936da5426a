using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// What kind of message it is (MessageTypeMatches). Flags: a signed meeting request is both. The values without a
/// prefix are Exchange's, with Exchange's meaning; values that start with "Eea" are this agent's additions, named so
/// nobody mistakes them for Exchange's.
/// </summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Exchange's MessageTypeMatches vocabulary.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "Exchange's MessageTypeMatches vocabulary.")]
public enum MessageTypes
{
    /// <summary>An ordinary message.</summary>
    None = 0,
    /// <summary>S/MIME enveloped or authEnveloped data, or PGP/MIME multipart/encrypted.</summary>
    Encrypted = 1,
    /// <summary>multipart/signed, or S/MIME signed-data.</summary>
    Signed = 2,
    /// <summary>A meeting request or response: a text/calendar body part (not an attached .ics file) whose method is not PUBLISH, or Content-Class calendarmessage.</summary>
    Calendaring = 4,
    /// <summary>An automatic (out-of-office) reply: Auto-Submitted: auto-replied (RFC 3834, what Exchange writes on OOF replies) or the common X-Autoreply headers.</summary>
    OOF = 8,
    /// <summary>A message an inbox rule forwarded or redirected (X-MS-Exchange-Inbox-Rules-Loop, Auto-Submitted: auto-forwarded).</summary>
    AutoForward = 16,
    /// <summary>Rights-managed (IRM/RMS) mail: a message.rpmsg attachment or Content-Class rpmsg.message.</summary>
    PermissionControlled = 32,
    /// <summary>A voice mail (Content-Class voice or voice-uc).</summary>
    Voicemail = 64,
    /// <summary>A moderation approval request (Exchange's X-MS-Exchange-Organization-Approval-* headers).</summary>
    ApprovalRequest = 128,
    /// <summary>A read receipt: multipart/report; report-type=disposition-notification.</summary>
    ReadReceipt = 256,
    /// <summary>Not an Exchange value: a delivery status notification, multipart/report; report-type=delivery-status.</summary>
    EeaDeliveryReport = 512,
}

/// <summary>WithImportance values.</summary>
public enum MessageImportance
{
    /// <summary>Low (Importance: low, X-Priority 4 or 5).</summary>
    Low,
    /// <summary>Normal, also when no header says anything.</summary>
    Normal,
    /// <summary>High (Importance: high, X-Priority 1 or 2).</summary>
    High,
}

/// <summary>HasSensitivity values (RFC 2156 Sensitivity header).</summary>
public enum MessageSensitivity
{
    /// <summary>No Sensitivity header.</summary>
    Normal,
    /// <summary>Sensitivity: Personal.</summary>
    Personal,
    /// <summary>Sensitivity: Private.</summary>
    Private,
    /// <summary>Sensitivity: Company-Confidential.</summary>
    CompanyConfidential,
}

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

/// <summary>One Microsoft Purview sensitivity label read from the msip_labels header.</summary>
public sealed class SensitivityLabel
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
