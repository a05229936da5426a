using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Which part of the work a host asks for. One-shot hosts (eea, the SMTP gateway) plan everything at once; Exchange
/// splits it over its events so that each part runs where the server allows it and where the agents after ours
/// need it (docs/architecture.md).
/// </summary>
public enum PlanningStage
{
    /// <summary>Everything in one plan: inbound S/MIME, decisions, rejections, routing, content transforms.</summary>
    Complete,

    /// <summary>
    /// Exchange OnSubmittedMessage: decrypt, verify and remove forged verdict headers only, so that Transport Rules, DLP
    /// and journaling after us see plain text and no forged verdict. No rejections, deferrals or outbound transforms.
    /// </summary>
    Inbound,

    /// <summary>
    /// Exchange OnResolvedMessage (deciding) and OnCategorizedMessage (applying the copy's transforms): everything but the
    /// inbound step, which already ran on this content.
    /// </summary>
    Outbound,
}
