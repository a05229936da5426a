using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Scope tests shared by FromScope and SentToScope.</summary>
internal static class OrganizationScopes
{
    /// <summary>True when an address whose precise scope is <paramref name="actual"/> is in <paramref name="wanted"/>.</summary>
    public static bool Holds(OrganizationScope wanted, OrganizationScope actual)
        => wanted == OrganizationScope.NotInOrganization ? actual != OrganizationScope.InOrganization : wanted == actual;
}
