namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// &lt;TnefHandling&gt;: what happens to a copy that must be signed or encrypted while its content is still Outlook's
/// Summary-TNEF (winmail.dat). Wrapped as it is, the partner would decrypt an attachment only Outlook can read.
/// </summary>
internal enum TnefHandling
{
    /// <summary>Convert the TNEF to MIME (text body, attachments as MIME parts) before signing and encrypting.</summary>
    ConvertToMime,

    /// <summary>Do not protect TNEF: walk the rule's fallback chain as if protection were impossible.</summary>
    Fallback,
}
