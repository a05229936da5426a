using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using static ExchangeEncryptionAgent.Tests.Reliability.FaultOutcome;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// The fault matrix: for each seam (a row) and message class (a column), the outcome the protected recipient must get
/// and the documented event that must be logged. <see cref="FaultMatrixTests"/> runs every cell;
/// docs/reliability.md shows <see cref="Markdown"/> of it (a drift test keeps the two equal).
/// </summary>
internal static class FaultMatrix
{
    private static readonly AgentEvent Encrypted = EventIds.MessageEncrypted;
    private static readonly AgentEvent EncryptFailed = EventIds.MessageEncryptFailed;
    private static readonly AgentEvent Signed = EventIds.MessageSigned;
    private static readonly AgentEvent SignFailed = EventIds.MessageSignFailed;
    private static readonly AgentEvent Rejected = EventIds.RecipientRejected;
    private static readonly AgentEvent Decided = EventIds.PolicyDecisionInformation;
    private static readonly AgentEvent Decrypted = EventIds.SmimeDecrypted;
    private static readonly AgentEvent DecryptFailed = EventIds.SmimeDecryptionFailed;
    private static readonly AgentEvent SourceFailed = EventIds.CertificateSourceFailed;
    private static readonly AgentEvent LoadFailed = EventIds.PolicyLoadFailed;
    private static readonly AgentEvent Internal = EventIds.InternalError;
    private static readonly AgentEvent NotSentEvent = EventIds.FailSafeRecipientsRejected;
    private static readonly AgentEvent TimeLimit = EventIds.ProcessingTimeLimitExceeded;

    /// <summary>The columns, in order.</summary>
    public static readonly IReadOnlyList<MessageClass> Classes = new[]
    {
        MessageClass.Encrypt, MessageClass.Sign, MessageClass.SignAndEncrypt, MessageClass.Reject, MessageClass.Route, MessageClass.InboundDecrypt,
    };

    public static IReadOnlyList<FaultCell> Cells { get; } = new[]
    {
        //  seam                                   Encrypt                     Sign                       Sign + encrypt              Reject                   Route                  Inbound decrypt
        Row(FaultSeam.None,                       (AsPolicy, Encrypted),      (AsPolicy, Signed),        (AsPolicy, Encrypted),      (AsPolicy, Rejected),    (AsPolicy, Decided),   (AsPolicy, Decrypted)),
        Row(FaultSeam.CertificateFilesUnreadable, (Deferred, SourceFailed),   (Deferred, SourceFailed),  (Deferred, SourceFailed),   (Deferred, SourceFailed), (Deferred, SourceFailed), (Deferred, SourceFailed)),
        Row(FaultSeam.CrlUnreadable,              (Deferred, SourceFailed),   (Deferred, SourceFailed),  (Deferred, SourceFailed),   (Deferred, SourceFailed), (Deferred, SourceFailed), (Deferred, SourceFailed)),
        Row(FaultSeam.CertificateFilesVanish,     (AsPolicy, LoadFailed),     (AsPolicy, LoadFailed),    (AsPolicy, LoadFailed),     (AsPolicy, LoadFailed),  (AsPolicy, LoadFailed), (AsPolicy, LoadFailed)),
        Row(FaultSeam.SpoolDiskFull,              (Deferred, EncryptFailed),  (Deferred, SignFailed),    (Deferred, Internal),       (AsPolicy, Rejected),    (AsPolicy, Decided),   (Deferred, DecryptFailed)),
        Row(FaultSeam.SpoolFolderDeleted,         (AsPolicy, Encrypted),      (AsPolicy, Signed),        (AsPolicy, Encrypted),      (AsPolicy, Rejected),    (AsPolicy, Decided),   (AsPolicy, Decrypted)),
        Row(FaultSeam.SpoolFolderBlocked,         (Deferred, Internal),       (Deferred, Internal),      (Deferred, Internal),       (AsPolicy, Rejected),    (AsPolicy, Decided),   (Deferred, Internal)),
        Row(FaultSeam.CryptoThrows,               (Deferred, EncryptFailed),  (Deferred, Internal),      (Deferred, Internal),       (AsPolicy, Rejected),    (AsPolicy, Decided),   (Deferred, Internal)),
        Row(FaultSeam.EngineThrows,               (Deferred, Internal),       (Deferred, Internal),      (Deferred, Internal),       (Deferred, Internal),    (Deferred, Internal),  (Deferred, Internal)),
        Row(FaultSeam.WriteStreamThrows,          (Deferred, Internal),       (Deferred, Internal),      (Deferred, Internal),       (AsPolicy, Rejected),    (AsPolicy, Decided),   (Deferred, Internal)),
        Row(FaultSeam.ForkThrows,                 (Deferred, Internal),       (Deferred, Internal),      (Deferred, Internal),       (AsPolicy, Rejected),    (Deferred, Internal),  (AsPolicy, Decrypted)),
        Row(FaultSeam.DeferThrows,                (NotSent, NotSentEvent),    (NotSent, NotSentEvent),   (NotSent, NotSentEvent),    (NotSent, NotSentEvent), (NotSent, NotSentEvent), (NotSent, NotSentEvent)),
        Row(FaultSeam.RoutingOverrideThrows,      (AsPolicy, Encrypted),      (AsPolicy, Signed),        (AsPolicy, Encrypted),      (AsPolicy, Rejected),    (Deferred, Internal),  (AsPolicy, Decrypted)),
        Row(FaultSeam.RecipientRemoveThrows,      (AsPolicy, Encrypted),      (AsPolicy, Signed),        (AsPolicy, Encrypted),      (Deferred, Internal),    (AsPolicy, Decided),   (AsPolicy, Decrypted)),
        Row(FaultSeam.PolicyCorruptMidReload,     (AsPolicy, LoadFailed),     (AsPolicy, LoadFailed),    (AsPolicy, LoadFailed),     (AsPolicy, LoadFailed),  (AsPolicy, LoadFailed), (AsPolicy, LoadFailed)),
        Row(FaultSeam.TimeLimit,                  (Deferred, TimeLimit),      (Deferred, TimeLimit),     (Deferred, TimeLimit),      (Deferred, TimeLimit),   (Deferred, TimeLimit), (Deferred, TimeLimit)),
        Row(FaultSeam.TimeLimitThenDeferThrows,   (NotSent, TimeLimit),       (NotSent, TimeLimit),      (NotSent, TimeLimit),       (AsPolicy, Rejected),    (AsPolicy, Decided),   (NotSent, TimeLimit)),
        Row(FaultSeam.LoggerThrows,               (Deferred, Internal),       (Deferred, Internal),      (Deferred, Internal),       (Deferred, Internal),    (Deferred, Internal),  (Deferred, Internal)),
    }.SelectMany(r => r).ToList();

    /// <summary>The matrix as a Markdown table with its legend (the generated part of docs/reliability.md).</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| Seam: how the fault is made |");
        foreach (var column in Classes)
        {
            text.Append(' ').Append(ColumnTitle(column)).Append(" |");
        }

        text.Append('\n').Append("|---|").Append(string.Concat(Classes.Select(_ => "---|"))).Append('\n');
        foreach (var seam in Enum.GetValues<FaultSeam>())
        {
            text.Append("| `").Append(seam).Append("`: ").Append(FaultInjector.Describe(seam)).Append(" |");
            foreach (var column in Classes)
            {
                var cell = Cells.Single(c => c.Seam == seam && c.Class == column);
                text.Append(' ').Append(OutcomeTitle(cell.Outcome)).Append(", ").Append(cell.Event.Id).Append(" |");
            }

            text.Append('\n');
        }

        text.Append('\n').Append("Outcomes (for the recipient the rule protects; each cell also names the event that must be logged):\n\n");
        foreach (var outcome in new[] { AsPolicy, Deferred, NotSent, KeptCiphertext })
        {
            text.Append("- **").Append(OutcomeTitle(outcome)).Append("**: ").Append(OutcomeMeaning(outcome)).Append('\n');
        }

        text.Append("\nEvents named in the matrix:\n\n");
        foreach (var agentEvent in Cells.Select(c => c.Event).Distinct().OrderBy(e => e.Id))
        {
            text.Append("- ").Append(agentEvent.Id).Append(' ').Append(agentEvent.Name).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<FaultCell> Row(FaultSeam seam, params (FaultOutcome Outcome, AgentEvent Event)[] cells)
    {
        if (cells.Length != Classes.Count)
        {
            throw new ArgumentException($"{seam}: one cell per class", nameof(cells));
        }

        return cells.Select((c, i) => new FaultCell(seam, Classes[i], c.Outcome, c.Event));
    }

    private static string ColumnTitle(MessageClass messageClass) => messageClass switch
    {
        MessageClass.Encrypt => "Encrypt rule",
        MessageClass.Sign => "Sign rule",
        MessageClass.SignAndEncrypt => "Sign + encrypt rule",
        MessageClass.Reject => "Reject rule",
        MessageClass.Route => "Forced-TLS route rule",
        MessageClass.InboundDecrypt => "Inbound decrypt",
        _ => messageClass.ToString(),
    };

    private static string OutcomeTitle(FaultOutcome outcome) => outcome switch
    {
        AsPolicy => "as policy",
        Deferred => "deferred",
        NotSent => "NDR, not sent",
        KeptCiphertext => "kept encrypted",
        _ => outcome.ToString(),
    };

    private static string OutcomeMeaning(FaultOutcome outcome) => outcome switch
    {
        AsPolicy => "the fault changed nothing the rule promises: encrypted, signed, rejected (its own NDR), routed over forced TLS, or decrypted.",
        Deferred => "the message is deferred (451 4.7.0); Exchange retries it after RetryInterval. Nothing left unprotected.",
        NotSent => "Defer itself failed, so the fail-safe removed the recipient with an NDR (550 5.7.0 \"not sent, please send it again\").",
        KeptCiphertext => "inbound only: delivered still encrypted, as it arrived.",
        _ => outcome.ToString(),
    };
}
