using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>HasSensitivity values (RFC 2156 Sensitivity header).</summary>
internal enum MessageSensitivity
{
    /// <summary>No Sensitivity header.</summary>
    Normal,
    /// <summary>Sensitivity: Personal.</summary>
    Personal,
    /// <summary>Sensitivity: Private.</summary>
    Private,
    /// <summary>Sensitivity: Company-Confidential.</summary>
    CompanyConfidential,
}
