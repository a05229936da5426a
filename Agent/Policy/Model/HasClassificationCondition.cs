using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// HasClassification: an Exchange message classification, by its ClassificationID (the GUID that
/// Get-MessageClassification shows), read from X-MS-Exchange-Organization-Classification as Exchange writes it.
/// </summary>
internal sealed class HasClassificationCondition : MessageCondition
{
    private readonly HashSet<Guid> _ids;

    /// <summary>Creates the condition; every value must be a GUID (the loader refuses anything else).</summary>
    public HasClassificationCondition(IReadOnlyList<string> classificationIds)
        : base("HasClassification", ConditionCost.Headers)
    {
        ClassificationIds = Guard.NotNull(classificationIds).Select(l => l.Trim()).ToArray();
        _ids = new HashSet<Guid>(ClassificationIds.Select(ParseId).Where(g => g is not null).Select(g => g!.Value));
    }

    /// <summary>Classification ids (GUID, braces optional; OR).</summary>
    public IReadOnlyList<string> ClassificationIds { get; }

    /// <summary>The GUID a value names, or null when it is not one.</summary>
    public static Guid? ParseId(string value) => Guid.TryParse(Guard.NotNull(value).Trim().Trim('{', '}'), out var id) ? id : null;

    internal override string? Match(EvaluationScope scope)
    {
        // Exchange's header firewall removes X-MS-Exchange-Organization-* fields that arrive from outside, but other
        // hosts (the SMTP gateway) have no such firewall: only mail the host says was submitted inside can carry the
        // organisation's own classification, so an outside sender's forged field never counts.
        if (!scope.SenderIsInternal)
        {
            return null;
        }

        foreach (var id in scope.Message.MessageClassifications)
        {
            if (_ids.Contains(id))
            {
                return id.ToString("D");
            }
        }

        return null;
    }
}
