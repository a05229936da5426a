using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>AttachmentExtensionMatchesWords: the extension of an attachment, or of a file inside an archive or attached message, is one of the values.</summary>
internal sealed class AttachmentExtensionMatchesWordsCondition : MessageCondition
{
    private readonly HashSet<string> _extensions;

    /// <summary>Creates the condition; a leading dot on a value is ignored.</summary>
    public AttachmentExtensionMatchesWordsCondition(IReadOnlyList<string> extensions)
        : base("AttachmentExtensionMatchesWords", ConditionCost.Structure)
    {
        Extensions = Guard.NotNull(extensions).Select(e => e.TrimStart('.')).ToArray();
        _extensions = new HashSet<string>(Extensions, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The extensions without the dot (OR, case-insensitive).</summary>
    public IReadOnlyList<string> Extensions { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Names(scope))
        {
            if (file.Extension.Length > 0 && _extensions.Contains(file.Extension))
            {
                return file.Extension;
            }
        }

        return null;
    }
}
