using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>How far a partner certificate must be trusted before we encrypt to it.</summary>
public enum CertificateTrust
{
    /// <summary>Learnt from a validly signed inbound message (harvested).</summary>
    Harvested = 0,
    /// <summary>Configured by an administrator in a certificate source.</summary>
    Configured = 1,
}
