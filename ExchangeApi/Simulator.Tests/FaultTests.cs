using System;
using System.IO;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public void HandlerThrowsNonIOException_CrashesTransport()
    {
        var script = new AgentScript { Resolved = _ => throw new InvalidOperationException("policy not loaded") };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.False(result.Healthy);
        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.EdgeTransportCrashed, crash.Kind);
        Assert.Equal(RoutingEvents.Resolved, crash.EventTopic);
        Assert.Equal(typeof(InvalidOperationException).FullName, crash.ExceptionType);
        Assert.Equal("policy not loaded", crash.Message);
        Assert.Empty(result.Delivered);
    }

    [Fact]
    public void HandlerThrowsIOException_IsAnAgentFault_AndMailFlows()
    {
        var script = new AgentScript { Resolved = _ => throw new IOException("temp folder full") };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.Empty(result.Crashes);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.AgentFault, violation.Name);
        Assert.Equal(1051, violation.EventId);
        Assert.Equal(RoutingEvents.Resolved, violation.EventTopic);
        Assert.Equal([Bob.Address, Carol.Address], Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Fact]
    public void FactoryConstructorThrows_StopsTheTransportService()
    {
        using var result = new TransportSimulator().Run(() => new FactoryWithBrokenConstructor(), Plain());

        Assert.True(result.TransportServiceStopped);
        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.TransportServiceStopped, crash.Kind);
        Assert.Equal(typeof(FileNotFoundException).FullName, crash.ExceptionType);
        Assert.Empty(result.Delivered);
        Assert.False(result.Healthy);
    }

    [Fact]
    public void CreateAgentThrows_IsRecorded_AndNothingFlows()
    {
        using var result = new TransportSimulator().Run(() => new FactoryWithBrokenCreateAgent(), Plain());

        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.AgentCreationFailed, crash.Kind);
        Assert.Empty(result.Delivered);
    }

    [Fact]
    public void SubscribingTwiceToTheSameEvent_Throws()
    {
        using var result = new TransportSimulator().Run(() => new DoubleSubscriptionFactory(), Plain());

        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.AgentCreationFailed, crash.Kind);
        Assert.Equal(typeof(InvalidOperationException).FullName, crash.ExceptionType);
        Assert.Contains("more than once", crash.Message, StringComparison.Ordinal);
        Assert.Empty(result.Delivered);
    }

    [Fact]
    public void UnsubscribeThenSubscribe_IsAllowed()
    {
        using var result = new TransportSimulator().Run(() => new ResubscribingFactory(), Plain());

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(true, Assert.Single(result.Delivered).Properties["handled"]);
    }

    [Fact]
    public void FactoryIsClosedAfterTheRun_OnlyWhenTheSimulatorCreatedIt()
    {
        var owned = new ScriptedAgentFactory(new AgentScript());
        var shared = new ScriptedAgentFactory(new AgentScript());

        using (new TransportSimulator().Run(() => owned, Plain()))
        using (new TransportSimulator().Run(shared, Plain()))
        {
        }

        Assert.True(owned.Closed);
        Assert.False(shared.Closed);
    }

    [Fact]
    public void CreateAgent_GetsTheServerFromTheOptions()
    {
        var factory = new ScriptedAgentFactory(new AgentScript());
        var options = new TransportSimulatorOptions { ServerName = "EX02.contoso.com", AcceptedDomains = ["contoso.com", "*.corp.contoso.com"] };

        using var result = new TransportSimulator(options).Run(factory, Plain(Bob, Carol));

        var server = Assert.Single(factory.Servers);
        Assert.Equal("EX02.contoso.com", server.Name);
        Assert.Equal("contoso.com", server.AcceptedDomains.Find(new RoutingAddress("x@contoso.com"))?.NameSpecification);
        Assert.NotNull(server.AcceptedDomains.Find("eu.corp.contoso.com"));
        Assert.Null(server.AcceptedDomains.Find("fabrikam.com"));
        Assert.True(server.AddressBook.IsInternal(new RoutingAddress("anyone@contoso.com")));
        Assert.True(server.AddressBook.IsInternal(new RoutingDomain("eu.corp.contoso.com")));
        Assert.False(server.AddressBook.IsInternal(new RoutingAddress(Carol.Address)));
        Assert.True(server.AddressBook.Contains(new RoutingAddress(Bob.Address)));
        Assert.False(server.AddressBook.Contains(new RoutingAddress(Carol.Address)));
    }

    [Fact]
    public void Properties_RejectValuesExchangeCannotPersist()
    {
        Exception? badValue = null;
        Exception? longKey = null;
        var script = new AgentScript
        {
            Submitted = call =>
            {
                call.Item.Properties["ok.string"] = "v";
                call.Item.Properties["ok.array"] = new[] { 1, 2 };
                call.Item.Properties["ok.address"] = new RoutingAddress("a@contoso.com");
                badValue = Capture(() => call.Item.Properties["bad"] = new Uri("https://contoso.com"));
                longKey = Capture(() => call.Item.Properties[new string('k', 256)] = 1);
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.IsType<ArgumentOutOfRangeException>(badValue);
        Assert.IsType<ArgumentOutOfRangeException>(longKey);
        Assert.Equal(3, Assert.Single(result.Delivered).Properties.Count);
    }

    private sealed class FactoryWithBrokenConstructor : RoutingAgentFactory
    {
        public FactoryWithBrokenConstructor() => throw new FileNotFoundException("policy.xml not found");

        public override RoutingAgent CreateAgent(SmtpServer server) => throw new NotSupportedException();
    }

    private sealed class FactoryWithBrokenCreateAgent : RoutingAgentFactory
    {
        public override RoutingAgent CreateAgent(SmtpServer server) => throw new InvalidOperationException("no agent today");
    }

    private sealed class DoubleSubscriptionFactory : RoutingAgentFactory
    {
        public override RoutingAgent CreateAgent(SmtpServer server) => new DoubleSubscriptionAgent();
    }

    private sealed class DoubleSubscriptionAgent : RoutingAgent
    {
        public DoubleSubscriptionAgent()
        {
            OnResolvedMessage += (_, _) => { };
            OnResolvedMessage += (_, _) => { };
        }
    }

    private sealed class ResubscribingFactory : RoutingAgentFactory
    {
        public override RoutingAgent CreateAgent(SmtpServer server) => new ResubscribingAgent();
    }

    private sealed class ResubscribingAgent : RoutingAgent
    {
        public ResubscribingAgent()
        {
            OnRoutedMessage += Ignore;
            OnRoutedMessage -= Ignore;
            OnRoutedMessage += Handle;
        }

        private static void Ignore(RoutedMessageEventSource source, QueuedMessageEventArgs e)
        {
        }

        private static void Handle(RoutedMessageEventSource source, QueuedMessageEventArgs e) => e.MailItem.Properties["handled"] = true;
    }
}
