using System;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What <see cref="CertificateHarvester.Harvest"/> did.</summary>
internal enum HarvestOutcome
{
    /// <summary>Harvesting is off (the default) or has no folder.</summary>
    Disabled,
    /// <summary>Not a valid signature from an external sender with a certificate naming its address.</summary>
    NotEligible,
    /// <summary>The certificate is configured already, or was harvested before: nothing written.</summary>
    AlreadyKnown,
    /// <summary>Written to the harvesting folder.</summary>
    Harvested,
    /// <summary>Could not be written (logged).</summary>
    Failed,
}
