using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>FromScope and SentToScope values (Exchange's).</summary>
internal enum OrganizationScope
{
    /// <summary>Inside the organisation.</summary>
    InOrganization,
    /// <summary>Outside the organisation (partner or not).</summary>
    NotInOrganization,
    /// <summary>Outside, in a partner domain (the policy's &lt;Partners&gt;).</summary>
    ExternalPartner,
    /// <summary>Outside, not in a partner domain.</summary>
    ExternalNonPartner,
}
