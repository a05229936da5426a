namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>How serious an event is; maps onto the Windows event log entry type and the NLog level.</summary>
public enum AgentEventLevel
{
    /// <summary>Detail for troubleshooting; never written to the event log by the shipped configuration.</summary>
    Debug,
    /// <summary>Something worth knowing happened as expected.</summary>
    Information,
    /// <summary>The agent chose a fallback or skipped something; mail still flows as the policy says.</summary>
    Warning,
    /// <summary>Something failed; the message got the documented fail-closed outcome.</summary>
    Error,
}
