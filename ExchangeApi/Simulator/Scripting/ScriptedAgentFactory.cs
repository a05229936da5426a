using System.Collections.Generic;
using System.Threading;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeApi.Simulator;

/// <summary>Creates a <see cref="ScriptedAgent"/> per server, and records what the server handed it.</summary>
public sealed class ScriptedAgentFactory : RoutingAgentFactory
{
    private readonly AgentScript _script;
    private int _agentsCreated;

    /// <summary>Every agent it creates follows <paramref name="script"/>.</summary>
    public ScriptedAgentFactory(AgentScript script) => _script = script;

    /// <summary>How many agents the server asked for.</summary>
    public int AgentsCreated => Volatile.Read(ref _agentsCreated);

    /// <summary>The servers passed to CreateAgent, in order.</summary>
    public IList<SmtpServer> Servers { get; } = new List<SmtpServer>();

    /// <summary>True once the server called Close.</summary>
    public bool Closed { get; private set; }

    /// <inheritdoc />
    public override RoutingAgent CreateAgent(SmtpServer server)
    {
        Interlocked.Increment(ref _agentsCreated);
        Servers.Add(server);
        return new ScriptedAgent(_script);
    }

    /// <inheritdoc />
    public override void Close() => Closed = true;
}
