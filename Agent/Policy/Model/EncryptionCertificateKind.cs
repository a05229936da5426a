using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Which certificate an <see cref="EncryptSmimeAction"/> encrypts to.</summary>
public enum EncryptionCertificateKind
{
    /// <summary>The recipient's personal certificate, else the partner gateway certificate of the recipient's domain.</summary>
    PersonalOrGateway,
    /// <summary>Only the recipient's personal certificate (end to end).</summary>
    Personal,
    /// <summary>Only the partner gateway (domain) certificate (organisation to organisation).</summary>
    Gateway,
}
