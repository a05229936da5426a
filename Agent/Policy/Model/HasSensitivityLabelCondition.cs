using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// HasSensitivityLabel: an enabled Microsoft Purview sensitivity label (msip_labels header), by id or name. The header
/// is written by the sender's client, so any sender can forge it: it counts only on mail submitted inside.
/// </summary>
internal sealed class HasSensitivityLabelCondition : MessageCondition
{
    private readonly LabelSelector[] _selectors;

    /// <summary>Creates the condition.</summary>
    public HasSensitivityLabelCondition(IReadOnlyList<string> labels)
        : base("HasSensitivityLabel", ConditionCost.Headers)
    {
        Labels = Guard.NotNull(labels).Select(l => l.Trim()).ToArray();
        _selectors = Labels.Select(l => new LabelSelector(l)).ToArray();
    }

    /// <summary>Label ids (GUID, braces optional) or names (OR, case-insensitive).</summary>
    public IReadOnlyList<string> Labels { get; }

    internal override string? Match(EvaluationScope scope)
    {
        // An outside sender can write any label it likes; only the host's word that the message was submitted
        // inside (mailbox, authenticated SMTP, pickup) makes the label the organisation's own.
        if (!scope.SenderIsInternal)
        {
            return null;
        }

        var labels = scope.Message.SensitivityLabels;
        for (var i = 0; i < labels.Count; i++)
        {
            foreach (var selector in _selectors)
            {
                if (labels[i].Matches(selector))
                {
                    return selector.Text;
                }
            }
        }

        return null;
    }
}
