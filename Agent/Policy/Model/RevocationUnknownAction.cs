using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>What to do when revocation status cannot be established.</summary>
internal enum RevocationUnknownAction
{
    /// <summary>The certificate is unusable (default).</summary>
    TreatAsUnusable,
    /// <summary>The certificate is used (a documented weakness; the administrator opted in).</summary>
    TreatAsValid,
}
