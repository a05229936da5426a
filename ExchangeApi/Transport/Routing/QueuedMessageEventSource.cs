using System;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace Microsoft.Exchange.Data.Transport.Routing;

public abstract class QueuedMessageEventSource
{
    internal QueuedMessageEventSource()
    {
    }

    // After Defer every MailItem member throws InvalidOperationException("Message Deferred").
    public abstract void Defer(TimeSpan waitTime);

    public abstract void Defer(TimeSpan waitTime, string trackingContext);

    public abstract void Defer(TimeSpan waitTime, SmtpResponse deferReason);

    // Deletes the mail item without any DSN.
    public abstract void Delete();

    public abstract void Delete(string trackingContext);

    // The current item keeps only these recipients; a clone takes the rest and gets the same event again after the
    // current item has finished.
    public abstract void Fork(IList<EnvelopeRecipient> recipients);
}

public abstract class SubmittedMessageEventSource : QueuedMessageEventSource
{
    internal SubmittedMessageEventSource()
    {
    }
}

public abstract class RoutedMessageEventSource : QueuedMessageEventSource
{
    internal RoutedMessageEventSource()
    {
    }
}

public abstract class CategorizedMessageEventSource : QueuedMessageEventSource
{
    internal CategorizedMessageEventSource()
    {
    }
}

public abstract class ResolvedMessageEventSource : QueuedMessageEventSource
{
    internal ResolvedMessageEventSource()
    {
    }

    public abstract RoutingOverride? GetRoutingOverride(EnvelopeRecipient recipient);

    // Only in OnResolvedMessage; elsewhere InvalidOperationException. Null resets the override.
    public abstract void SetRoutingOverride(EnvelopeRecipient recipient, RoutingOverride? routingOverride);

    public abstract string? GetTlsDomain(EnvelopeRecipient recipient);

    // Overrides the send connector's TlsDomain for DomainValidation; does not by itself require TLS.
    public abstract void SetTlsDomain(EnvelopeRecipient recipient, string? domain);
}
