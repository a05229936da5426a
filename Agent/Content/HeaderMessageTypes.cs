using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// The MessageTypeMatches values a message's top-level headers tell (the MIME structure tells the others). Exchange
/// decides these from the MAPI message class; over SMTP the class travels as headers Exchange itself writes
/// (Content-Class, Auto-Submitted, X-MS-Exchange-*). The X-MS-Exchange-Organization-* headers are removed from mail
/// arriving from outside by Exchange's header firewall, so only the organisation can set them.
/// </summary>
internal static class HeaderMessageTypes
{
    /// <summary>The types <paramref name="header"/> (top-level header values by name) and the Content-Class values tell.</summary>
    public static MessageTypes Read(Func<string, IReadOnlyList<string>> header, IEnumerable<string> contentClass)
    {
        var types = MessageTypes.None;
        foreach (var value in header("Auto-Submitted"))
        {
            if (value.StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase))
            {
                types |= MessageTypes.OOF;
            }
            else if (value.StartsWith("auto-forwarded", StringComparison.OrdinalIgnoreCase))
            {
                types |= MessageTypes.AutoForward;
            }
        }

        if (header("X-Autoreply").Count > 0 || header("X-Autorespond").Count > 0 || Has(header("Precedence"), "auto_reply"))
        {
            types |= MessageTypes.OOF;
        }

        // Exchange stamps the loop-detection header on every message an inbox rule forwards or redirects.
        if (header("X-MS-Exchange-Inbox-Rules-Loop").Count > 0 || Has(header("X-MS-Exchange-Organization-AutoForwarded"), "true"))
        {
            types |= MessageTypes.AutoForward;
        }

        if (header("X-MS-Exchange-Organization-Approval-Allowed-Decision-Makers").Count > 0
            || header("X-MS-Exchange-Organization-Approval-Requestor").Count > 0)
        {
            types |= MessageTypes.ApprovalRequest;
        }

        foreach (var value in contentClass)
        {
            if (value.StartsWith("voice", StringComparison.OrdinalIgnoreCase))
            {
                types |= MessageTypes.Voicemail;
            }
            else if (value.EndsWith("rpmsg.message", StringComparison.OrdinalIgnoreCase))
            {
                types |= MessageTypes.PermissionControlled;
            }
            else if (value.Equals("urn:content-classes:calendarmessage", StringComparison.OrdinalIgnoreCase))
            {
                types |= MessageTypes.Calendaring;
            }
        }

        return types;
    }

    private static bool Has(IReadOnlyList<string> values, string wanted)
    {
        foreach (var value in values)
        {
            if (value.Trim().Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
