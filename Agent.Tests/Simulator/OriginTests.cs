using System.Collections.Generic;
using System.Linq;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Exchange;
using Microsoft.Exchange.Data.Transport;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Simulator.TestMessages;

namespace ExchangeEncryptionAgent.Tests.Simulator;

/// <summary>
/// The simulator answers "who is inside" as the evidence note says Exchange does: "&lt;&gt;" for anonymous submitters,
/// RecipientCategory by the message's directionality (Incoming from the Internet, Unknown from the pickup folder),
/// wildcard accepted domains, ExternalRelay domains outside the organisation. And the adapter reads those answers.
/// </summary>
public sealed class OriginTests
{
    private sealed record Seen(string Authenticator, DeliveryMethod Method, List<(string Address, RecipientCategory Category)> Recipients, List<(string Name, bool InCorporation)> Domains, AddressBook AddressBook);

    private static Seen Observe(SimulatedMessage message, TransportSimulatorOptions? options = null)
    {
        (string, DeliveryMethod, List<(string, RecipientCategory)>)? seen = null;
        ScriptedAgentFactory? factory = null;
        var script = new AgentScript
        {
            Resolved = call => seen = (
                call.Item.OriginalAuthenticator,
                call.Item.InboundDeliveryMethod,
                call.Item.Recipients.Select(r => (r.Address.ToString(), r.RecipientCategory)).ToList()),
        };
        using var result = new TransportSimulator(options ?? new TransportSimulatorOptions()).Run(() => factory = new ScriptedAgentFactory(script), message);
        Assert.True(result.Healthy, result.ToString());
        var server = factory!.Servers[0];
        var (authenticator, method, recipients) = seen!.Value;
        return new Seen(authenticator, method, recipients, server.AcceptedDomains.Select(d => (d.NameSpecification, d.IsInCorporation)).ToList(), server.AddressBook);
    }

    private static SimulatedMessage From(string mailFrom, SimulatedOrigin? origin, params SimulatedRecipient[] recipients)
        => new(mailFrom, recipients.Length == 0 ? [Bob, Carol] : recipients, () => new System.IO.MemoryStream(System.Text.Encoding.ASCII.GetBytes(PlainMime))) { Origin = origin };

    [Fact]
    public void AnonymousInternetMail_HasAuthenticatorNullPath_AndEveryRecipientIncoming()
    {
        var seen = Observe(From("ceo@contoso.com", SimulatedOrigin.SmtpAnonymous));

        Assert.Equal("<>", seen.Authenticator);
        Assert.Equal(DeliveryMethod.Smtp, seen.Method);
        Assert.All(seen.Recipients, r => Assert.Equal(RecipientCategory.Incoming, r.Category));
        Assert.Equal(SubmissionOrigin.SmtpAnonymous, MailItemAdapter.Origin(seen.Method, seen.Authenticator));
    }

    [Fact]
    public void DefaultOrigin_IsAMailboxForAnAcceptedDomainSender_AnonymousOtherwise()
    {
        var inside = Observe(From("alice@contoso.com", origin: null));
        Assert.Equal(DeliveryMethod.Mailbox, inside.Method);
        Assert.Equal(string.Empty, inside.Authenticator);
        Assert.Equal(RecipientCategory.InSameOrganization, inside.Recipients.Single(r => r.Address == Bob.Address).Category);
        Assert.Equal(RecipientCategory.InDifferentOrganization, inside.Recipients.Single(r => r.Address == Carol.Address).Category);
        Assert.Equal(SubmissionOrigin.Mailbox, MailItemAdapter.Origin(inside.Method, inside.Authenticator));

        var outside = Observe(From("<>", origin: null));
        Assert.Equal("<>", outside.Authenticator);
        Assert.Equal(SubmissionOrigin.SmtpAnonymous, MailItemAdapter.Origin(outside.Method, outside.Authenticator));
    }

    [Fact]
    public void AuthenticatedSubmitter_IsNamed_PickupHasNoDirectionality()
    {
        var authenticated = Observe(From("scanner@contoso.com", SimulatedOrigin.SmtpAuthenticated));
        Assert.Equal("scanner@contoso.com", authenticated.Authenticator);
        Assert.Equal(SubmissionOrigin.SmtpAuthenticated, MailItemAdapter.Origin(authenticated.Method, authenticated.Authenticator));

        var pickup = Observe(From("report@contoso.com", SimulatedOrigin.Pickup));
        Assert.Equal(DeliveryMethod.File, pickup.Method);
        Assert.All(pickup.Recipients, r => Assert.Equal(RecipientCategory.Unknown, r.Category));
        Assert.Equal(SubmissionOrigin.Pickup, MailItemAdapter.Origin(pickup.Method, pickup.Authenticator));
    }

    [Theory]
    [InlineData("Mailbox", "", SubmissionOrigin.Mailbox)]
    [InlineData("Mailbox", "<>", SubmissionOrigin.Mailbox)]
    [InlineData("Smtp", "<>", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Smtp", " <> ", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Smtp", "CONTOSO\\scanner", SubmissionOrigin.SmtpAuthenticated)]
    [InlineData("Smtp", "", SubmissionOrigin.Unknown)]
    [InlineData("File", "", SubmissionOrigin.Pickup)]
    [InlineData("File", "<>", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Unknown", "", SubmissionOrigin.Unknown)]
    public void Adapter_Origin_IsTheHostsWordOnly(string method, string authenticator, SubmissionOrigin expected)
        => Assert.Equal(expected, MailItemAdapter.Origin(System.Enum.Parse<DeliveryMethod>(method), authenticator));

    [Fact]
    public void WildcardAndStarAcceptedDomains_CoverSubdomainsAndEverything()
    {
        var wildcard = new TransportSimulatorOptions { AcceptedDomains = ["*.contoso.com"] };
        var seen = Observe(From("alice@eu.contoso.com", origin: null, new SimulatedRecipient("bob@contoso.com", false), new SimulatedRecipient("eve@a.b.contoso.com", false), Carol), wildcard);
        Assert.Equal(DeliveryMethod.Mailbox, seen.Method);
        Assert.Equal(
            [RecipientCategory.InSameOrganization, RecipientCategory.InSameOrganization, RecipientCategory.InDifferentOrganization],
            seen.Recipients.Select(r => r.Category));

        var star = new TransportSimulatorOptions { AcceptedDomains = ["contoso.com", "*"] };
        var everything = Observe(From("alice@contoso.com", origin: null, Carol), star);
        Assert.Equal(RecipientCategory.InSameOrganization, everything.Recipients.Single().Category);
        Assert.Contains(("*", true), everything.Domains);
    }

    [Fact]
    public void ExternalRelayDomain_IsAcceptedButOutside_ThoughItsCategoryIsInSameOrganization()
    {
        var options = new TransportSimulatorOptions { AcceptedDomains = ["contoso.com"], ExternalRelayDomains = ["partner.contoso.com"] };

        var seen = Observe(From("alice@contoso.com", null, new SimulatedRecipient("p@partner.contoso.com", false)), options);

        Assert.Equal(RecipientCategory.InSameOrganization, seen.Recipients.Single().Category);
        Assert.Contains(("partner.contoso.com", false), seen.Domains);
        Assert.False(seen.AddressBook.IsInternal(new RoutingAddress("p@partner.contoso.com")));
        Assert.True(seen.AddressBook.IsInternal(new RoutingAddress("bob@contoso.com")));
    }
}
