using System;
using System.Collections.Generic;

namespace ExchangeApi.Simulator;

public sealed class TransportSimulatorOptions
{
    public string ServerName { get; init; } = "EX01.contoso.com";

    public Version ServerVersion { get; init; } = new(15, 2);

    // Accepted domains: SmtpServer.AcceptedDomains and AddressBook.IsInternal. "*.contoso.com" also accepts subdomains.
    public IReadOnlyList<string> AcceptedDomains { get; init; } = ["contoso.com"];

    // How long the simulator waits for AgentAsyncContext.Complete() before recording MExAgentTooSlow.
    public TimeSpan AsyncCompletionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    // Fault injection: when set, every Defer call throws what this returns (a host failure the agent must survive).
    public Func<Exception>? DeferFault { get; init; }

    // Where the run's temporary files go (a fresh subdirectory per run); the system temp directory when null.
    public string? TemporaryDirectory { get; init; }
}
