namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What kind of S/MIME layer an entity is.</summary>
internal enum SmimeLayerKind
{
    /// <summary>Not S/MIME (or not a layer we look into): the walk stops.</summary>
    None,
    /// <summary>multipart/signed with an S/MIME protocol (RFC 8551 §3.5.3).</summary>
    MultipartSigned,
    /// <summary>application/pkcs7-mime; smime-type=signed-data (RFC 8551 §3.5.2).</summary>
    OpaqueSigned,
    /// <summary>enveloped-data or authEnveloped-data (RFC 8551 §3.3, RFC 5083).</summary>
    Encrypted,
    /// <summary>compressed-data or certs-only: S/MIME, but not processed here.</summary>
    NotProcessed,
    /// <summary>application/pkcs7-mime whose smime-type we do not know and whose content is no known CMS.</summary>
    UnknownSmimeType,
}
