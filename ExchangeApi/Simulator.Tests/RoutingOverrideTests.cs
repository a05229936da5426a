using System;
using System.Linq;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class RoutingOverrideTests
{
    private const string OnlyInResolved = "RoutingOverride can only be set in the OnResolvedMessage event.";

    private static readonly RoutingOverride ForcedTls = new(new RoutingDomain("forcetls.contoso.com"), DeliveryQueueDomain.UseRecipientDomain);

    [Fact]
    public void SetRoutingOverride_InOnResolvedMessage_ReachesTheDeliveredRecipient()
    {
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var carol = call.Item.Recipients.First(r => r.Address == new RoutingAddress(Carol.Address));
                call.Source.SetRoutingOverride(carol, ForcedTls);
                call.Source.SetTlsDomain(carol, "mx.fabrikam.com");
                Assert.Same(ForcedTls, call.Source.GetRoutingOverride(carol));
                Assert.Equal("mx.fabrikam.com", call.Source.GetTlsDomain(carol));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.True(result.Healthy, result.ToString());
        var copy = Assert.Single(result.Delivered);
        var carolOut = copy.Recipient(Carol.Address);
        var routing = Assert.IsType<DeliveredRoutingOverride>(carolOut.RoutingOverride);
        Assert.Equal("forcetls.contoso.com", routing.RoutingDomain);
        Assert.Equal("smtp", routing.AddressType);
        Assert.Equal(DeliveryQueueDomain.UseRecipientDomain, routing.DeliveryQueueDomain);
        Assert.Empty(routing.AlternateDeliveryRoutingHosts);
        Assert.Equal("mx.fabrikam.com", carolOut.TlsDomain);
        Assert.Null(copy.Recipient(Bob.Address).RoutingOverride);
    }

    [Fact]
    public void SetRoutingOverride_Null_ResetsTheOverride()
    {
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var bob = call.Item.Recipients[0];
                call.Source.SetRoutingOverride(bob, ForcedTls);
                call.Source.SetRoutingOverride(bob, null);
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.Null(Assert.Single(result.Delivered).Recipient(Bob.Address).RoutingOverride);
    }

    // OnSubmittedMessage comes before any ResolvedMessageEventSource exists, so the only way to try this is to keep the
    // OnResolvedMessage source and use it in a later event.
    [Theory]
    [InlineData(RoutingEvents.Routed)]
    [InlineData(RoutingEvents.Categorized)]
    public void SetRoutingOverride_AfterOnResolvedMessage_Throws(string topic)
    {
        ResolvedMessageEventSource? kept = null;
        Exception? overrideError = null;
        Exception? tlsError = null;
        var script = new AgentScript
        {
            Resolved = call => kept = call.Source,
            AnyEvent = (eventTopic, item) =>
            {
                if (eventTopic == topic)
                {
                    overrideError = Capture(() => kept!.SetRoutingOverride(item.Recipients[0], ForcedTls));
                    tlsError = Capture(() => kept!.SetTlsDomain(item.Recipients[0], "mx.fabrikam.com"));
                }
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Carol));

        Assert.Equal(OnlyInResolved, Assert.IsType<InvalidOperationException>(overrideError).Message);
        Assert.Equal(OnlyInResolved, Assert.IsType<InvalidOperationException>(tlsError).Message);
        var carol = Assert.Single(result.Delivered).Recipient(Carol.Address);
        Assert.Null(carol.RoutingOverride);
        Assert.Null(carol.TlsDomain);
    }

    [Fact]
    public void SetRoutingOverride_RecipientForkedAway_LandsOnTheClone()
    {
        Exception? error = null;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                if (call.Item.Recipients.Count == 2)
                {
                    var bob = call.Item.Recipients[0];
                    var carol = call.Item.Recipients[1];
                    call.Source.Fork([bob]);
                    error = Capture(() => call.Source.SetRoutingOverride(carol, ForcedTls));
                }
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        // Exchange does not throw: the override follows the recipient to the fork clone.
        Assert.Null(error);
        Assert.Equal(2, result.Delivered.Count);
        var recipients = result.Delivered.SelectMany(c => c.Recipients).ToList();
        Assert.Null(recipients.Single(r => r.Address == Bob.Address).RoutingOverride);
        Assert.Equal("forcetls.contoso.com", recipients.Single(r => r.Address == Carol.Address).RoutingOverride?.RoutingDomain);
    }

    [Fact]
    public void SetRoutingOverride_Escaping_CrashesTransport()
    {
        ResolvedMessageEventSource? kept = null;
        var script = new AgentScript
        {
            Resolved = call => kept = call.Source,
            Routed = call => kept!.SetRoutingOverride(call.Item.Recipients[0], ForcedTls),
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Carol));

        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.EdgeTransportCrashed, crash.Kind);
        Assert.Equal(RoutingEvents.Routed, crash.EventTopic);
        Assert.Equal(typeof(InvalidOperationException).FullName, crash.ExceptionType);
        Assert.Empty(result.Delivered);
        Assert.False(result.Healthy);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("not a domain")]
    [InlineData("[192.0.2.1]")]
    public void SetTlsDomain_Invalid_ThrowsArgumentException(string domain)
    {
        Exception? error = null;
        var script = new AgentScript { Resolved = call => error = Capture(() => call.Source.SetTlsDomain(call.Item.Recipients[0], domain)) };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Carol));

        Assert.IsType<ArgumentException>(error);
        Assert.Null(Assert.Single(result.Delivered).Recipients[0].TlsDomain);
    }
}
