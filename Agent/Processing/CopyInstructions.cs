using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// What <see cref="CopyBuilder"/> does to one copy's content, in this order: remove forged X-EEA-* fields, the inbound
/// S/MIME step, header edits (the audit stamp included), TNEF to MIME, sign, encrypt. Decided by
/// <see cref="MessagePlanner"/>; data only, so a decision recorded at one Exchange event is built at a later one.
/// </summary>
/// <param name="StripForeignHeaders">Remove X-EEA-* fields that came from outside (first, on every path).</param>
/// <param name="Inbound">Decrypt and/or verify, or null.</param>
/// <param name="Edits">Header edits, in order.</param>
/// <param name="ConvertTnef">Turn Summary-TNEF into MIME before it is signed or encrypted.</param>
/// <param name="Sign">The signature, or null.</param>
/// <param name="Encrypt">The envelope, or null.</param>
internal sealed record CopyInstructions(
    bool StripForeignHeaders,
    InboundInstruction? Inbound,
    IReadOnlyList<HeaderEdit> Edits,
    bool ConvertTnef,
    SignPlan? Sign,
    EncryptInstruction? Encrypt)
{
    /// <summary>The content stays as it is.</summary>
    public static CopyInstructions None { get; } = new(false, null, Array.Empty<HeaderEdit>(), false, null, null);

    /// <summary>Only the forged X-EEA-* fields go.</summary>
    public static CopyInstructions StripOnly { get; } = None with { StripForeignHeaders = true };

    public bool IsEmpty => !StripForeignHeaders && Inbound is null && Edits.Count == 0 && !ConvertTnef && Sign is null && Encrypt is null;
}
