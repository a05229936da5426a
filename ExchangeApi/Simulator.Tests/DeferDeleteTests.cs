using System;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Smtp;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class DeferDeleteTests
{
    [Fact]
    public void Defer_EveryMemberThrowsMessageDeferred_AndTheItemStops()
    {
        var errors = new Dictionary<string, Exception?>();
        var laterEvents = 0;
        var reason = new SmtpResponse("451", "4.7.0", "Certificate lookup unavailable");
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var item = call.Item;
                var recipients = item.Recipients;
                var bob = recipients[0];
                var properties = item.Properties;
                var message = item.Message;
                using var read = item.GetMimeReadStream()!;

                call.Source.Defer(TimeSpan.FromMinutes(5), reason);

                errors["FromAddress"] = Capture(() => _ = item.FromAddress);
                errors["Recipients"] = Capture(() => _ = item.Recipients);
                errors["Recipients.Count (kept)"] = Capture(() => _ = recipients.Count);
                errors["Recipient.Address (kept)"] = Capture(() => _ = bob.Address);
                errors["Properties"] = Capture(() => _ = item.Properties);
                errors["Properties (kept)"] = Capture(() => properties["x"] = 1);
                errors["Message"] = Capture(() => _ = item.Message);
                errors["Message.Subject (kept)"] = Capture(() => _ = message.Subject);
                errors["MimeStreamLength"] = Capture(() => _ = item.MimeStreamLength);
                errors["GetMimeReadStream"] = Capture(() => item.GetMimeReadStream());
                errors["GetMimeWriteStream"] = Capture(() => item.GetMimeWriteStream());
                errors["ReadStream.Read (kept)"] = Capture(() => read.ReadByte());
                errors["DeliveryPriority"] = Capture(() => item.DeliveryPriority = DeliveryPriority.High);
                errors["Source.Fork"] = Capture(() => call.Source.Fork([bob]));
                errors["Source.Defer"] = Capture(() => call.Source.Defer(TimeSpan.FromMinutes(1)));
            },
            Routed = _ => laterEvents++,
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.NotEmpty(errors);
        Assert.All(errors, pair =>
        {
            var error = Assert.IsType<InvalidOperationException>(pair.Value);
            Assert.Equal("Message Deferred", error.Message);
        });
        Assert.Equal(0, laterEvents);
        Assert.Empty(result.Delivered);
        var deferral = Assert.Single(result.Deferrals);
        Assert.Equal([Bob.Address, Carol.Address], deferral.Recipients);
        Assert.Equal(TimeSpan.FromMinutes(5), deferral.WaitTime);
        Assert.Equal(reason, deferral.Reason);
        Assert.Equal(RoutingEvents.Resolved, deferral.EventTopic);
        Assert.True(result.Healthy, result.ToString());
    }

    [Fact]
    public void Defer_WithTrackingContext_IsRecorded()
    {
        var script = new AgentScript { Categorized = call => call.Source.Defer(TimeSpan.FromSeconds(30), "EEA: key store offline") };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Carol));

        var deferral = Assert.Single(result.Deferrals);
        Assert.Equal("EEA: key store offline", deferral.TrackingContext);
        Assert.Null(deferral.Reason);
        Assert.Equal(RoutingEvents.Categorized, deferral.EventTopic);
        Assert.Empty(result.Delivered);
    }

    [Fact]
    public void Delete_DropsTheItemSilently()
    {
        var laterEvents = 0;
        Exception? deleteTwice = null;
        var script = new AgentScript
        {
            Submitted = call =>
            {
                call.Source.Delete();
                deleteTwice = Capture(() => call.Source.Delete());
            },
            Resolved = _ => laterEvents++,
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.IsType<InvalidOperationException>(deleteTwice);
        Assert.Empty(result.Delivered);
        Assert.Empty(result.NonDeliveries);
        Assert.Equal(0, laterEvents);
        Assert.Equal(
            [new DroppedRecipient(Bob.Address, DropReason.Deleted, RoutingEvents.Submitted), new DroppedRecipient(Carol.Address, DropReason.Deleted, RoutingEvents.Submitted)],
            result.Dropped);
    }

    [Fact]
    public void Defer_NegativeWait_IsNotRejected()
    {
        // Exchange does not check the wait (a zero or negative wait still counts toward the resubmit limit).
        Exception? error = null;
        var script = new AgentScript { Routed = call => error = Capture(() => call.Source.Defer(TimeSpan.FromSeconds(-1))) };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.Null(error);
        Assert.Single(result.Deferrals);
        Assert.Empty(result.Delivered);
    }
}
