using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>
/// `--origin mailbox|smtp-anonymous|smtp-authenticated|pickup`: what the host would say about how the message was
/// submitted. The default keeps what-if commands meaningful: mailbox when MAIL FROM is in an organisation domain (as
/// an internal user's mail would be), smtp-anonymous otherwise (as Internet mail is).
/// </summary>
internal static class OriginOption
{
    public const string Name = "--origin";

    public const string Values = "mailbox|smtp-anonymous|smtp-authenticated|pickup";

    private static readonly Dictionary<string, SubmissionOrigin> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mailbox"] = SubmissionOrigin.Mailbox,
        ["smtp-anonymous"] = SubmissionOrigin.SmtpAnonymous,
        ["smtp-authenticated"] = SubmissionOrigin.SmtpAuthenticated,
        ["pickup"] = SubmissionOrigin.Pickup,
    };

    /// <summary>Parses the option's value; null <paramref name="value"/> gives the default for <paramref name="mailFrom"/>.</summary>
    public static bool TryResolve(string? value, string mailFrom, IReadOnlyList<string> organizationDomains, out SubmissionOrigin origin)
    {
        if (value is null)
        {
            origin = IsOrganizationSender(mailFrom, organizationDomains) ? SubmissionOrigin.Mailbox : SubmissionOrigin.SmtpAnonymous;
            return true;
        }

        return Names.TryGetValue(value.Trim(), out origin);
    }

    /// <summary>The scope JSON reports: InOrganization only when the host's word makes the sender internal.</summary>
    public static string SenderScope(MessageEnvelope envelope) => envelope.SenderIsInternal ? "InOrganization" : "NotInOrganization";

    private static bool IsOrganizationSender(string mailFrom, IReadOnlyList<string> organizationDomains)
    {
        var domain = CertificateNames.DomainOf(mailFrom.Trim().Trim('<', '>'));
        return domain.Length > 0 && organizationDomains.Any(d => string.Equals(d.Trim().TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith("." + d.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
    }
}
