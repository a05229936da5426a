namespace ExchangeEncryptionAgent.Diagnostics;

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
