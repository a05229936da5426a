using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class ForkTests
{
    private static readonly string Encrypted = Crlf(
        """
        From: alice@contoso.com
        MIME-Version: 1.0
        Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m

        MIAGCSqGSIb3DQEHA6CAMIACAQA=
        """);

    [Fact]
    public void Fork_SplitsIntoTwoCopies_AndTheCloneGetsTheEventAgain()
    {
        var log = new List<string>();
        var script = new AgentScript
        {
            AnyEvent = (topic, item) => log.Add(topic + ":" + string.Join(",", item.Recipients.Select(r => r.Address.LocalPart))),
            Submitted = call => call.Item.Properties["X-Test-Seen"] = true,
            Resolved = call =>
            {
                var carol = call.Item.Recipients.FirstOrDefault(r => r.RecipientCategory == RecipientCategory.InDifferentOrganization);
                if (carol is not null)
                {
                    call.Source.SetRoutingOverride(carol, new RoutingOverride(new RoutingDomain("forcetls.contoso.com"), DeliveryQueueDomain.UseRecipientDomain));
                }
            },
            Routed = call =>
            {
                // Microsoft's own encryption agent pattern: internal recipients stay, external ones go to a clone.
                var internals = call.Item.Recipients.Where(r => r.RecipientCategory == RecipientCategory.InSameOrganization).ToList();
                if (internals.Count > 0 && internals.Count < call.Item.Recipients.Count)
                {
                    call.Source.Fork(internals);
                }
            },
        };
        var factory = new ScriptedAgentFactory(script);

        using var result = new TransportSimulator().Run(() => factory, Plain(Bob, Carol, Dave));

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(
            [
                "OnSubmittedMessage:bob,carol,dave",
                "OnResolvedMessage:bob,carol,dave",
                "OnRoutedMessage:bob,carol,dave",
                "OnCategorizedMessage:bob",
                "OnRoutedMessage:carol,dave",
                "OnCategorizedMessage:carol,dave",
            ],
            log);
        Assert.Equal(2, factory.AgentsCreated);
        Assert.Equal(2, result.Delivered.Count);
        Assert.Equal([Bob.Address], result.Delivered[0].RecipientAddresses);
        Assert.Equal([Carol.Address, Dave.Address], result.Delivered[1].RecipientAddresses);
        Assert.All(result.Delivered, c => Assert.Equal(true, c.Properties["X-Test-Seen"]));
        Assert.Equal("forcetls.contoso.com", result.Delivered[1].Recipient(Carol.Address).RoutingOverride?.RoutingDomain);
        Assert.Null(result.Delivered[1].Recipient(Dave.Address).RoutingOverride);
    }

    [Fact]
    public void Fork_CloneKeepsTheContentAtForkTime()
    {
        var script = new AgentScript
        {
            Categorized = call =>
            {
                var externals = call.Item.Recipients.Where(r => r.RecipientCategory == RecipientCategory.InDifferentOrganization).ToList();
                if (externals.Count == 0 || externals.Count == call.Item.Recipients.Count)
                {
                    return;
                }

                call.Source.Fork(externals);
                using var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(Encrypted));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.True(result.Healthy, result.ToString());
        var external = result.Delivered.Single(c => c.RecipientAddresses.Contains(Carol.Address));
        var internalCopy = result.Delivered.Single(c => c.RecipientAddresses.Contains(Bob.Address));
        Assert.Equal(Encrypted, external.ReadAllText());
        Assert.Equal(PlainMime, internalCopy.ReadAllText());
    }

    [Fact]
    public void Fork_WithAllRecipients_MakesNoClone()
    {
        var script = new AgentScript { Routed = call => call.Source.Fork(call.Item.Recipients.ToList()) };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.Equal([Bob.Address, Carol.Address], Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Fact]
    public void Fork_EmptyOrForeignRecipients_ThrowsArgumentException()
    {
        Exception? empty = null;
        Exception? foreign = null;
        EnvelopeRecipient? removed = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                empty = Capture(() => call.Source.Fork([]));
                removed = call.Item.Recipients[1];
                call.Item.Recipients.Remove(removed);
                foreign = Capture(() => call.Source.Fork([removed]));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.IsType<ArgumentException>(empty);
        Assert.IsType<ArgumentException>(foreign);
        Assert.Equal([Bob.Address], Assert.Single(result.Delivered).RecipientAddresses);
    }
}
