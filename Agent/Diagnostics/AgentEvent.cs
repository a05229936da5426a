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

/// <summary>One entry of the event catalogue: a stable numeric ID that administrators search for.</summary>
public sealed class AgentEvent
{
    internal AgentEvent(int id, string name, AgentEventLevel level, string meaning)
    {
        Id = id;
        Name = name;
        Level = level;
        Meaning = meaning;
    }

    /// <summary>The Windows event ID. Public surface: never reuse or renumber.</summary>
    public int Id { get; }

    /// <summary>A short stable name, as used in docs/event-ids.md.</summary>
    public string Name { get; }

    /// <summary>The level the event is always written at.</summary>
    public AgentEventLevel Level { get; }

    /// <summary>One sentence saying what happened.</summary>
    public string Meaning { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Name}";
}
