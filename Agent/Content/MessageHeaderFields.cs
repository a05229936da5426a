using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// The message properties a few top-level header fields tell (importance, sensitivity, Exchange classifications),
/// read from the values <see cref="MessageContext.GetHeaderValues"/> gives: pure functions, so each reading rule is
/// visible on its own and tested through MessageContext.
/// </summary>
internal static class MessageHeaderFields
{
    private static readonly char[] ClassificationSeparators = { ',', ';', ' ', '\t' };

    /// <summary>Importance from Importance, X-MSMail-Priority, then X-Priority; Normal when none says.</summary>
    public static MessageImportance Importance(Func<string, IReadOnlyList<string>> header)
    {
        foreach (var value in header("Importance").Concat(header("X-MSMail-Priority")))
        {
            if (value.StartsWith("high", StringComparison.OrdinalIgnoreCase))
            {
                return MessageImportance.High;
            }

            if (value.StartsWith("low", StringComparison.OrdinalIgnoreCase))
            {
                return MessageImportance.Low;
            }

            if (value.StartsWith("normal", StringComparison.OrdinalIgnoreCase))
            {
                return MessageImportance.Normal;
            }
        }

        foreach (var value in header("X-Priority"))
        {
            if (value.Length > 0)
            {
                switch (value[0])
                {
                    case '1':
                    case '2':
                        return MessageImportance.High;
                    case '4':
                    case '5':
                        return MessageImportance.Low;
                }
            }
        }

        return MessageImportance.Normal;
    }

    /// <summary>The TNEF sensitivity when it says more than Normal, else the Sensitivity header; Normal when none says.</summary>
    public static MessageSensitivity Sensitivity(MessageSensitivity? tnefSensitivity, Func<string, IReadOnlyList<string>> header)
    {
        // Outlook keeps the sensitivity inside the TNEF (PR_SENSITIVITY); a header says the same for MIME senders.
        if (tnefSensitivity is { } tnef && tnef != MessageSensitivity.Normal)
        {
            return tnef;
        }

        foreach (var value in header("Sensitivity"))
        {
            var compact = value.Replace("-", string.Empty).Replace(" ", string.Empty);
            if (compact.Equals("Personal", StringComparison.OrdinalIgnoreCase))
            {
                return MessageSensitivity.Personal;
            }

            if (compact.Equals("Private", StringComparison.OrdinalIgnoreCase))
            {
                return MessageSensitivity.Private;
            }

            if (compact.Equals("CompanyConfidential", StringComparison.OrdinalIgnoreCase))
            {
                return MessageSensitivity.CompanyConfidential;
            }
        }

        return MessageSensitivity.Normal;
    }

    /// <summary>Every GUID in the classification header fields (Exchange writes one per field; separators tolerated).</summary>
    public static List<Guid> Classifications(IReadOnlyList<string> values)
    {
        var result = new List<Guid>();
        foreach (var item in values.SelectMany(v => v.Split(ClassificationSeparators, StringSplitOptions.RemoveEmptyEntries)))
        {
            if (Guid.TryParse(item.Trim('{', '}'), out var id) && !result.Contains(id))
            {
                result.Add(id);
            }
        }

        return result;
    }
}
