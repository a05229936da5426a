using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeApi.Simulator.Tests;
using Microsoft.Exchange.Data.Transport;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>The real agent, driven through the simulator, respects every rule a real server enforces.</summary>
public sealed class EncryptionRoutingAgentTests
{
    private static readonly SimulatedRecipient Bob = TestMessages.Bob;
    private static readonly SimulatedRecipient Carol = TestMessages.Carol;
    private static readonly SimulatedRecipient Dave = TestMessages.Dave;

    [Fact]
    public void PassThroughPlan_DeliversUnchanged_AndRecordsTheDecision()
    {
        using var harness = new AgentHarness((envelope, _) => ProcessingPlan.PassThrough(Addresses(envelope), "nothing to do"));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        Assert.True(result.Healthy, result.ToString());
        var copy = Assert.Single(result.Delivered);
        Assert.Equal(TestMessages.PlainMime, copy.ReadAllText());
        Assert.Equal(new[] { Bob.Address, Carol.Address }, copy.RecipientAddresses);
        Assert.StartsWith("eea1;", (string)copy.Properties[RecordedDecision.PropertyName], StringComparison.Ordinal);
        Assert.Equal(1, harness.Processor.Calls);
    }

    [Fact]
    public void Envelope_CarriesRecipientCategoriesAndAcceptedDomains()
    {
        using var harness = new AgentHarness((envelope, _) => ProcessingPlan.PassThrough(Addresses(envelope), "nothing"));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        var envelope = Assert.Single(harness.Processor.Envelopes);
        Assert.Equal("alice@contoso.com", envelope.MailFrom);
        Assert.Equal(new bool?[] { true, false }, envelope.Recipients.Select(r => r.IsInternal));
        Assert.Contains("contoso.com", envelope.HostOrganizationDomains);
    }

    [Fact]
    public void Rejections_BecomeNdrsWithTheirStatus_OthersAreDelivered()
    {
        using var harness = new AgentHarness((envelope, _) => new ProcessingPlan(
            new[] { PlannedCopy.Unchanged(Addresses(envelope).Where(a => a != Carol.Address).ToList()) },
            envelope.Recipients.Any(r => r.Address == Carol.Address)
                ? new[] { new PlannedRejection(Carol.Address, "5.7.1", "No valid S/MIME certificate for carol@fabrikam.com") }
                : Array.Empty<PlannedRejection>(),
            "reject carol"));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        Assert.True(result.Healthy, result.ToString());
        var ndr = Assert.Single(result.NonDeliveries);
        Assert.Equal((Carol.Address, "550", "5.7.1"), (ndr.Recipient, ndr.StatusCode, ndr.EnhancedStatusCode));
        Assert.Contains("No valid S/MIME certificate", ndr.StatusText, StringComparison.Ordinal);
        Assert.Equal(new[] { Bob.Address }, Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Fact]
    public void TwoCopies_ForkIntoTransformedAndRoutedCopies_WithTheWriteStreamClosed()
    {
        // Carol's copy gets a header stamped; Dave's goes unchanged over forced TLS; Bob's is untouched.
        using var harness = new AgentHarness((envelope, _) => PlanPerRecipient(envelope, address => address switch
        {
            "carol@fabrikam.com" => new PlannedCopy(new[] { address }, Edit("X-Test", "carol"), CopyProtection.None),
            "dave@northwind.example" => new PlannedCopy(new[] { address }, CopyInstructions.None, CopyProtection.None, routingDomain: "forcetls.contoso.com"),
            _ => PlannedCopy.Unchanged(new[] { address }),
        }));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol, Dave);

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(3, result.Delivered.Count);
        var carol = result.Delivered.Single(c => c.RecipientAddresses.Contains(Carol.Address));
        Assert.Contains("X-Test: carol\r\n", carol.ReadAllText(), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nThe numbers are in.", carol.ReadAllText().TrimEnd(), StringComparison.Ordinal);
        var dave = result.Delivered.Single(c => c.RecipientAddresses.Contains(Dave.Address));
        Assert.Equal(TestMessages.PlainMime, dave.ReadAllText());
        var route = dave.Recipient(Dave.Address).RoutingOverride;
        Assert.NotNull(route);
        Assert.Equal("forcetls.contoso.com", route!.RoutingDomain);
        Assert.Equal(DeliveryQueueDomain.UseRecipientDomain, route.DeliveryQueueDomain);
        var bob = result.Delivered.Single(c => c.RecipientAddresses.Contains(Bob.Address));
        Assert.Null(bob.Recipient(Bob.Address).RoutingOverride);
        Assert.Equal(0, harness.TemporaryFileCount);
    }

    [Fact]
    public void RecipientsThePlanDoesNotMention_NeverInheritAnotherCopysTreatment()
    {
        // A buggy plan mentions only Carol; Bob must be planned separately, not get Carol's transformed copy.
        using var harness = new AgentHarness((envelope, _) => envelope.Recipients.Any(r => r.Address == Carol.Address)
            ? new ProcessingPlan(new[] { new PlannedCopy(new[] { Carol.Address }, Edit("X-For", "carol"), CopyProtection.None) }, Array.Empty<PlannedRejection>(), "carol only")
            : ProcessingPlan.PassThrough(Addresses(envelope), "rest"));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        Assert.True(result.Healthy, result.ToString());
        var bob = result.Delivered.Single(c => c.RecipientAddresses.Contains(Bob.Address));
        Assert.DoesNotContain("X-For", bob.ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void DeferredCopy_IsDeferredWithATransientResponse_OtherCopiesDelivered()
    {
        using var harness = new AgentHarness((envelope, _) => PlanPerRecipient(envelope, address => address == Carol.Address
            ? PlannedCopy.Deferred(new[] { address }, TimeSpan.FromMinutes(7), "Revocation status unknown")
            : PlannedCopy.Unchanged(new[] { address })));

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        Assert.True(result.Healthy, result.ToString());
        var deferral = Assert.Single(result.Deferrals);
        Assert.Equal(new[] { Carol.Address }, deferral.Recipients);
        Assert.Equal(TimeSpan.FromMinutes(7), deferral.WaitTime);
        Assert.Equal("4.7.0", deferral.Reason!.Value.EnhancedStatusCode);
        Assert.Equal(new[] { Bob.Address }, Assert.Single(result.Delivered).RecipientAddresses);
    }

    [Fact]
    public void SystemMessages_AreLeftAlone_WithoutCallingTheEngine()
    {
        using var harness = new AgentHarness((_, _) => throw new InvalidOperationException("must not be called"));

        using var result = harness.Run(TestMessages.NonDeliveryReportMime, Bob);

        Assert.True(result.Healthy, result.ToString());
        Assert.Single(result.Delivered);
        Assert.Equal(0, harness.Processor.Calls);
    }

#pragma warning disable CA2201 // Fault injection throws exactly the runtime's own exception types.
    public static IEnumerable<object[]> EngineFaults() => new[]
    {
        new object[] { new NullReferenceException("null") },
        new object[] { new InvalidOperationException("state") },
        new object[] { new CryptographicException("crypto") },
        new object[] { new XmlException("xml") },
        new object[] { new RegexMatchTimeoutException("(a+)+$", "aaaa", TimeSpan.FromMilliseconds(1)) },
        new object[] { new OutOfMemoryException("simulated") },
        new object[] { new IOException("disk") },
    };
#pragma warning restore CA2201

    [Theory]
    [MemberData(nameof(EngineFaults))]
    public void EngineFault_NeverCrashesTransport_AndDefersTheMessage(Exception fault)
    {
        using var harness = new AgentHarness((_, _) => throw fault);

        using var result = harness.Run(TestMessages.PlainMime, Bob, Carol);

        Assert.Empty(result.Crashes);
        Assert.Empty(result.Violations);
        Assert.Empty(result.Delivered);
        var deferral = Assert.Single(result.Deferrals);
        Assert.Equal(new[] { Bob.Address, Carol.Address }, deferral.Recipients);
        Assert.True(harness.Logged(EventIds.InternalError), string.Join("\n", harness.Log));
        Assert.Contains(harness.Log, l => l.Contains(fault.GetType().FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public void TransformFault_AfterFork_DefersOnlyThatCopy()
    {
        // The copy builder's transforms for Carol's copy fail as a broken key would.
        using var harness = new AgentHarness((envelope, _) => PlanPerRecipient(envelope, address => address == Carol.Address
            ? new PlannedCopy(new[] { address }, Edit("X-For", "carol"), CopyProtection.Encrypted)
            : PlannedCopy.Unchanged(new[] { address })), decorate: _ => new ThrowingTransform());

        using var result = harness.Run(TestMessages.PlainMime, Carol, Bob);

        Assert.Empty(result.Crashes);
        Assert.Empty(result.Violations);
        Assert.Equal(new[] { Carol.Address }, Assert.Single(result.Deferrals).Recipients);
        Assert.Equal(new[] { Bob.Address }, Assert.Single(result.Delivered).RecipientAddresses);
        Assert.Equal(0, harness.TemporaryFileCount);
    }

    [Fact]
    public void InsecurePassThroughSetting_LetsTheMessageContinue_AndStillLogs()
    {
        using var harness = new AgentHarness((_, _) => throw new InvalidOperationException("bug"),
            new AgentSettings { OnInternalError = FailureOutcome.PassThroughInsecure });

        using var result = harness.Run(TestMessages.PlainMime, Bob);

        Assert.Empty(result.Crashes);
        Assert.Empty(result.Deferrals);
        Assert.Equal(TestMessages.PlainMime, Assert.Single(result.Delivered).ReadAllText());
        Assert.True(harness.Logged(EventIds.InternalError));
    }

    [Fact]
    public void FactoryForExchange_WithBrokenConfiguration_StillConstructs_AndDefersEverything()
    {
        var directory = Directory.CreateTempSubdirectory("eea-broken-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "NLog.config"), "<nlog><broken");
            File.WriteAllText(Path.Combine(directory, "AgentSettings.xml"), "<!DOCTYPE x [<!ENTITY a 'a'>]><AgentSettings/>");

            using var result = new TransportSimulator().Run(
                () => new EncryptionRoutingAgentFactory(AgentRuntimeFactory.CreateForExchange(directory)),
                SimulatedMessage.FromText("alice@contoso.com", new[] { Carol }, TestMessages.PlainMime));

            Assert.False(result.TransportServiceStopped);
            Assert.Empty(result.Crashes);
            Assert.Empty(result.Delivered);
            Assert.Single(result.Deferrals);
            var log = File.ReadAllText(Path.Combine(directory, "Logs", "agent.log"));
            Assert.Contains("|1002|", log, StringComparison.Ordinal);
            Assert.Contains("|1006|", log, StringComparison.Ordinal);
            Assert.Contains("|1003|", log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> Addresses(MessageEnvelope envelope) => envelope.Recipients.Select(r => r.Address).ToList();

    private static ProcessingPlan PlanPerRecipient(MessageEnvelope envelope, Func<string, PlannedCopy> copyFor)
        => new(Addresses(envelope).Select(copyFor).ToList(), Array.Empty<PlannedRejection>(), "per recipient");

    private static CopyInstructions Edit(string name, string value) => CopyInstructions.None with { Edits = new[] { HeaderEdit.Set(name, value) } };

    private sealed class ThrowingTransform : IMessageTransform
    {
        public string Name => "throwing";

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            destination.WriteByte(0);
            throw new CryptographicException("broken key");
        }
    }
}
