using System;
using System.Collections.Generic;

namespace ExchangeApi.Simulator;

public sealed class TransportSimulatorOptions
{
    public string ServerName { get; init; } = "EX01.contoso.com";

    public Version ServerVersion { get; init; } = new(15, 2);

    // Accepted domains: SmtpServer.AcceptedDomains and AddressBook.IsInternal. "*.contoso.com" also accepts subdomains.
    // "*" accepts every domain (an internal relay for everything).
    public IReadOnlyList<string> AcceptedDomains { get; init; } = ["contoso.com"];

    // ExternalRelay accepted domains: accepted by the server but outside the organisation (IsInCorporation false,
    // AddressBook.IsInternal false), yet RecipientCategory InSameOrganization for mail sent from inside.
    public IReadOnlyList<string> ExternalRelayDomains { get; init; } = [];

    // Fault injection: when set, every Defer call throws what this returns (a host failure the agent must survive).
    public Func<Exception>? DeferFault { get; init; }

    // Fault injection: when set, every Fork call throws what this returns.
    public Func<Exception>? ForkFault { get; init; }

    // Fault injection: when set, every SetRoutingOverride call throws what this returns.
    public Func<Exception>? RoutingOverrideFault { get; init; }

    // Fault injection: when set, every Recipients.Remove (with or without an NDR) and Recipients.Clear throws what this
    // returns.
    public Func<Exception>? RecipientRemoveFault { get; init; }

    // Fault injection: called after each write to a MIME write stream with the bytes written so far; an exception it
    // returns is thrown from that write (the bytes stay written: closing the stream still commits them, as on a server).
    public Func<long, Exception?>? WriteStreamFault { get; init; }

    // An agent that takes longer than this to complete an event gets MExAgentTooSlow (1050), logged after it finishes:
    // Exchange never abandons a slow agent, the message waits.
    public TimeSpan AsyncCompletionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    // Test guard, not Exchange behaviour: after this long without Complete() the run records AgentHeldMessageForever and
    // stops processing the item (a real server would hold it for ever).
    public TimeSpan HungAgentTimeout { get; init; } = TimeSpan.FromMinutes(5);

    // How many times a deferred item comes back (from OnSubmittedMessage, with its original content). 0: deferral ends
    // the run for that item.
    public int ResubmitDeferred { get; init; }

    // Where the run's temporary files go (a fresh subdirectory per run); the system temp directory when null.
    public string? TemporaryDirectory { get; init; }
}
