using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Exchange.Data.Common;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using MimeKit;
using MimeKit.Tnef;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

/// <summary>
/// The rows of shared/reference/exchange-behaviour-evidence.md that the simulator plays: Summary-TNEF until content
/// conversion, bifurcation, Defer reverting content (and with a write stream open, dropping everyone), overrides
/// following forked recipients, LocalizedException tolerated, several agents in priority order.
/// </summary>
public sealed class ServerBehaviourTests
{
    private static SimulatedMessage MailboxSubmission(params SimulatedRecipient[] recipients)
        => SummaryTnef.FromMailbox(Sender, recipients, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "tnef", "ukr.eml")));

    [Fact]
    public void MailboxSubmission_IsSummaryTnef_UntilContentConversion_ThenMime()
    {
        var seen = new List<(string Topic, bool Tnef, string ContentType, DeliveryMethod Method)>();
        var script = new AgentScript
        {
            AnyEvent = (topic, item) => seen.Add((topic, item.Message.TnefPart is not null, TopContentType(item), item.InboundDeliveryMethod)),
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), MailboxSubmission(Carol));

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(
            [(RoutingEvents.Submitted, true), (RoutingEvents.Resolved, true), (RoutingEvents.Routed, true), (RoutingEvents.Categorized, false)],
            seen.Select(s => (s.Topic, s.Tnef)).ToArray());
        Assert.All(seen.Take(3), s => Assert.Equal("application/ms-tnef", s.ContentType));
        Assert.All(seen, s => Assert.Equal(DeliveryMethod.Mailbox, s.Method));
        using var delivered = MimeMessage.Load(Assert.Single(result.Delivered).OpenRead());
        Assert.Empty(delivered.BodyParts.OfType<TnefPart>());
        Assert.False(string.IsNullOrWhiteSpace(delivered.TextBody ?? delivered.HtmlBody));
        Assert.Equal("rr test 7", delivered.Subject); // the outer headers stay
    }

    [Fact]
    public void Bifurcation_InsideRecipientsKeepTnef_OutsideRecipientsGetMime_EachSeenAtOnCategorized()
    {
        var categorized = new List<(string[] Recipients, bool Tnef)>();
        var script = new AgentScript
        {
            Categorized = call => categorized.Add((call.Item.Recipients.Select(r => r.Address.ToString()).ToArray(), call.Item.Message.TnefPart is not null)),
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), MailboxSubmission(Bob, Carol));

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(2, categorized.Count);
        Assert.Contains(categorized, c => c.Recipients.SequenceEqual([Carol.Address]) && !c.Tnef);
        Assert.Contains(categorized, c => c.Recipients.SequenceEqual([Bob.Address]) && c.Tnef);
        Assert.Equal(2, result.Delivered.Count);
        Assert.Contains("application/ms-tnef", result.Delivered.Single(c => c.RecipientAddresses.Contains(Bob.Address)).ReadAllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Defer_WithTheWriteStreamOpen_DropsEveryRecipient_WithoutADeferral()
    {
        var script = new AgentScript
        {
            Categorized = call =>
            {
                var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(PlainMime));
                call.Source.Defer(TimeSpan.FromMinutes(1));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.Empty(result.Deferrals);
        Assert.Empty(result.Delivered);
        Assert.Equal([Bob.Address, Carol.Address], result.Dropped.Where(d => d.Reason == DropReason.DeferredWithOpenWriteStream).Select(d => d.Address).ToArray());
    }

    [Fact]
    public void Defer_RevertsTheContentToTheOriginal_AndTheResubmissionStartsOver()
    {
        var submittedContent = new List<string>();
        var script = new AgentScript
        {
            Submitted = call => submittedContent.Add(ReadAll(call.Item)),
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(PlainMime.Replace("The numbers are in.", "Rewritten.", StringComparison.Ordinal)));
            },
            Categorized = call =>
            {
                if (!call.Item.Properties.ContainsKey("deferred-once"))
                {
                    call.Item.Properties["deferred-once"] = true;
                    call.Source.Defer(TimeSpan.Zero);
                }
            },
        };

        using var result = new TransportSimulator(new TransportSimulatorOptions { ResubmitDeferred = 1 })
            .Run(() => new ScriptedAgentFactory(script), Plain(Carol));

        Assert.Single(result.Deferrals);
        Assert.Equal(2, submittedContent.Count);
        Assert.All(submittedContent, c => Assert.Contains("The numbers are in.", c, StringComparison.Ordinal));
        Assert.Contains("Rewritten.", Assert.Single(result.Delivered).ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void LocalizedException_IsTolerated_LikeIOException()
    {
        var script = new AgentScript { Routed = _ => throw new LocalizedException(new LocalizedString("Store unavailable")) };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob));

        Assert.Empty(result.Crashes);
        Assert.Equal(ViolationNames.AgentFault, Assert.Single(result.Violations).Name);
        Assert.Single(result.Delivered);
    }

    [Fact]
    public void SeveralAgents_GetEachEvent_InPriorityOrder()
    {
        var order = new List<string>();
        var first = new ScriptedAgentFactory(new AgentScript { AnyEvent = (topic, _) => order.Add("first:" + topic) });
        var second = new ScriptedAgentFactory(new AgentScript { AnyEvent = (topic, _) => order.Add("second:" + topic) });

        using var result = new TransportSimulator().Run(new RoutingAgentFactory[] { first, second }, Plain(Bob));

        Assert.Single(result.Delivered);
        Assert.Equal(
            ["first:" + RoutingEvents.Submitted, "second:" + RoutingEvents.Submitted, "first:" + RoutingEvents.Resolved, "second:" + RoutingEvents.Resolved,
             "first:" + RoutingEvents.Routed, "second:" + RoutingEvents.Routed, "first:" + RoutingEvents.Categorized, "second:" + RoutingEvents.Categorized],
            order);
    }

    private static string ReadAll(MailItem item)
    {
        using var reader = new StreamReader(item.GetMimeReadStream()!);
        return reader.ReadToEnd();
    }

    private static string TopContentType(MailItem item)
    {
        using var stream = item.GetMimeReadStream()!;
        var headers = HeaderList.Load(stream);
        return ContentType.TryParse(headers[HeaderId.ContentType] ?? "text/plain", out var type) ? type.MimeType.ToLowerInvariant() : "?";
    }
}
