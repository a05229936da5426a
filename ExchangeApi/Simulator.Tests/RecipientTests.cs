using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Smtp;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class RecipientTests
{
    [Fact]
    public void Add_InOnSubmittedMessage_IsDeliveredWithItsCategory()
    {
        var canAdd = false;
        var script = new AgentScript
        {
            Submitted = call =>
            {
                canAdd = call.Item.Recipients.CanAdd;
                call.Item.Recipients.Add(new RoutingAddress("journal@contoso.com"));
                call.Item.Recipients.Add(new RoutingAddress("archive@fabrikam.com"));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.True(canAdd);
        Assert.True(result.Healthy, result.ToString());
        var copy = Assert.Single(result.Delivered);
        Assert.Equal(["bob@contoso.com", "journal@contoso.com", "archive@fabrikam.com"], copy.RecipientAddresses);
        Assert.Equal(RecipientCategory.InSameOrganization, copy.Recipient("journal@contoso.com").Category);
        Assert.Equal(RecipientCategory.InDifferentOrganization, copy.Recipient("archive@fabrikam.com").Category);
    }

    [Theory]
    [InlineData(RoutingEvents.Resolved)]
    [InlineData(RoutingEvents.Routed)]
    [InlineData(RoutingEvents.Categorized)]
    public void Add_AfterOnSubmittedMessage_ThrowsNotSupported(string topic)
    {
        bool? canAdd = null;
        Exception? error = null;
        var script = new AgentScript
        {
            AnyEvent = (eventTopic, item) =>
            {
                if (eventTopic == topic)
                {
                    canAdd = item.Recipients.CanAdd;
                    error = Capture(() => item.Recipients.Add(new RoutingAddress("journal@contoso.com")));
                }
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.False(canAdd);
        Assert.IsType<NotSupportedException>(error);
        Assert.Equal(["bob@contoso.com"], Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("user@[192.0.2.1]")]
    [InlineData("")]
    public void Add_InvalidAddress_ThrowsArgumentException(string address)
    {
        Exception? error = null;
        var script = new AgentScript { Submitted = call => error = Capture(() => call.Item.Recipients.Add(new RoutingAddress(address))) };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.IsType<ArgumentException>(error);
        Assert.Single(Assert.Single(result.Delivered).Recipients);
    }

    [Fact]
    public void Remove_WithFailureDsn_RecordsTheNonDeliveryReport()
    {
        bool? removedAgain = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                var carol = call.Item.Recipients.First(r => r.RecipientCategory == RecipientCategory.InDifferentOrganization);
                var response = new SmtpResponse("550", "5.7.1", "Encryption required but no certificate for the recipient");
                Assert.True(call.Item.Recipients.Remove(carol, DsnType.Failure, response, "EncryptionAgent"));
                removedAgain = call.Item.Recipients.Remove(carol, DsnType.Failure, response);
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.False(removedAgain);
        var ndr = Assert.Single(result.NonDeliveries);
        Assert.Equal(new NonDelivery(Carol.Address, "550", "5.7.1", "Encryption required but no certificate for the recipient", RoutingEvents.Routed, "EncryptionAgent"), ndr);
        Assert.Equal([Bob.Address], Assert.Single(result.Delivered).RecipientAddresses);
        Assert.Empty(result.Dropped);
    }

    [Fact]
    public void Remove_Silently_RecordsADropAndNoReport()
    {
        bool? removedAgain = null;
        int? removedByAddress = null;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var carol = call.Item.Recipients[1];
                Assert.True(call.Item.Recipients.Remove(carol));
                removedAgain = call.Item.Recipients.Remove(carol);
                removedByAddress = call.Item.Recipients.Remove(new RoutingAddress("DAVE@northwind.example"));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol, Dave));

        Assert.False(removedAgain);
        Assert.Equal(1, removedByAddress);
        Assert.Empty(result.NonDeliveries);
        Assert.Equal(
            [new DroppedRecipient(Carol.Address, DropReason.Removed, RoutingEvents.Resolved), new DroppedRecipient(Dave.Address, DropReason.Removed, RoutingEvents.Resolved)],
            result.Dropped);
        Assert.Equal([Bob.Address], Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Fact]
    public void Clear_DropsEveryRecipientAndDeliversNothing()
    {
        var laterEvents = 0;
        var script = new AgentScript
        {
            Submitted = call => call.Item.Recipients.Clear(),
            Resolved = _ => laterEvents++,
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.Empty(result.Delivered);
        Assert.Equal(0, laterEvents);
        Assert.Equal([Bob.Address, Carol.Address], result.Dropped.Select(d => d.Address));
        Assert.All(result.Dropped, d => Assert.Equal(DropReason.Cleared, d.Reason));
    }

    [Fact]
    public void RemovedRecipient_ThrowsObjectDisposed()
    {
        Exception? error = null;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var carol = call.Item.Recipients[1];
                call.Item.Recipients.Remove(carol);
                error = Capture(() => _ = carol.Address);
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.IsType<ObjectDisposedException>(error);
    }

    [Fact]
    public void RemovingWhileEnumerating_Throws()
    {
        Exception? error = null;
        var script = new AgentScript
        {
            Resolved = call => error = Capture(() =>
            {
                foreach (var recipient in call.Item.Recipients)
                {
                    call.Item.Recipients.Remove(recipient);
                }
            }),
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void Categories_FollowTheSimulatedRecipients()
    {
        var seen = new List<(string, RecipientCategory, DeliveryMethod)>();
        var script = new AgentScript
        {
            Resolved = call =>
            {
                foreach (var r in call.Item.Recipients)
                {
                    seen.Add((r.Address.ToString(), r.RecipientCategory, r.OutboundDeliveryMethod));
                }
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.Equal(
            [(Bob.Address, RecipientCategory.InSameOrganization, DeliveryMethod.Mailbox), (Carol.Address, RecipientCategory.InDifferentOrganization, DeliveryMethod.Smtp)],
            seen);
    }
}
