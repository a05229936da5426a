using System;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeApi.Simulator;

internal sealed class SimulatedEventArgs(SimulatedMailItem item) : QueuedMessageEventArgs
{
    public override MailItem MailItem => item;
}

// The four sources differ only in type (and Resolved's routing members); Defer, Delete and Fork act on the item.
internal static class SimulatedEventSources
{
    public static QueuedMessageEventSource Create(string eventTopic, SimulatedMailItem item) => eventTopic switch
    {
        RoutingAgent.SubmittedMessageTopic => new SimulatedSubmittedSource(item),
        RoutingAgent.ResolvedMessageTopic => new SimulatedResolvedSource(item),
        RoutingAgent.RoutedMessageTopic => new SimulatedRoutedSource(item),
        RoutingAgent.CategorizedMessageTopic => new SimulatedCategorizedSource(item),
        _ => throw new ArgumentOutOfRangeException(nameof(eventTopic), eventTopic, "Not a routing agent event."),
    };
}

internal sealed class SimulatedSubmittedSource(SimulatedMailItem item) : SubmittedMessageEventSource
{
    public override void Defer(TimeSpan waitTime) => item.Defer(waitTime, null, null);

    public override void Defer(TimeSpan waitTime, string trackingContext) => item.Defer(waitTime, null, trackingContext);

    public override void Defer(TimeSpan waitTime, SmtpResponse deferReason) => item.Defer(waitTime, deferReason, null);

    public override void Delete() => item.Delete();

    public override void Delete(string trackingContext) => item.Delete();

    public override void Fork(IList<EnvelopeRecipient> recipients) => item.Fork(recipients);
}

internal sealed class SimulatedRoutedSource(SimulatedMailItem item) : RoutedMessageEventSource
{
    public override void Defer(TimeSpan waitTime) => item.Defer(waitTime, null, null);

    public override void Defer(TimeSpan waitTime, string trackingContext) => item.Defer(waitTime, null, trackingContext);

    public override void Defer(TimeSpan waitTime, SmtpResponse deferReason) => item.Defer(waitTime, deferReason, null);

    public override void Delete() => item.Delete();

    public override void Delete(string trackingContext) => item.Delete();

    public override void Fork(IList<EnvelopeRecipient> recipients) => item.Fork(recipients);
}

internal sealed class SimulatedCategorizedSource(SimulatedMailItem item) : CategorizedMessageEventSource
{
    public override void Defer(TimeSpan waitTime) => item.Defer(waitTime, null, null);

    public override void Defer(TimeSpan waitTime, string trackingContext) => item.Defer(waitTime, null, trackingContext);

    public override void Defer(TimeSpan waitTime, SmtpResponse deferReason) => item.Defer(waitTime, deferReason, null);

    public override void Delete() => item.Delete();

    public override void Delete(string trackingContext) => item.Delete();

    public override void Fork(IList<EnvelopeRecipient> recipients) => item.Fork(recipients);
}

internal sealed class SimulatedResolvedSource(SimulatedMailItem item) : ResolvedMessageEventSource
{
    // Exchange exposes the routing domain only while the message is resolved (before routing).
    private const string OnlyInResolved = "RoutingOverride can only be set in the OnResolvedMessage event.";

    public override void Defer(TimeSpan waitTime) => item.Defer(waitTime, null, null);

    public override void Defer(TimeSpan waitTime, string trackingContext) => item.Defer(waitTime, null, trackingContext);

    public override void Defer(TimeSpan waitTime, SmtpResponse deferReason) => item.Defer(waitTime, deferReason, null);

    public override void Delete() => item.Delete();

    public override void Delete(string trackingContext) => item.Delete();

    public override void Fork(IList<EnvelopeRecipient> recipients) => item.Fork(recipients);

    public override RoutingOverride? GetRoutingOverride(EnvelopeRecipient recipient)
    {
        item.CheckAccess();
        return item.Own(recipient, nameof(recipient)).RoutingOverride;
    }

    public override void SetRoutingOverride(EnvelopeRecipient recipient, RoutingOverride? routingOverride)
    {
        CheckResolvedStage();
        if (item.Run.Options.RoutingOverrideFault is { } fault)
        {
            throw fault();
        }

        item.OwnOrMoved(recipient, nameof(recipient)).RoutingOverride = routingOverride;
    }

    public override string? GetTlsDomain(EnvelopeRecipient recipient)
    {
        item.CheckAccess();
        return item.Own(recipient, nameof(recipient)).TlsDomain;
    }

    public override void SetTlsDomain(EnvelopeRecipient recipient, string? domain)
    {
        CheckResolvedStage();
        if (domain is not null && (domain == "*" || !RoutingDomain.TryParse(domain, out _)))
        {
            throw new ArgumentException("The TLS domain must be a valid SMTP domain and not \"*\": " + domain, nameof(domain));
        }

        item.Own(recipient, nameof(recipient)).TlsDomain = domain;
    }

    private void CheckResolvedStage()
    {
        item.CheckAccess();
        if (!string.Equals(item.CurrentTopic, RoutingAgent.ResolvedMessageTopic, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(OnlyInResolved);
        }
    }
}
