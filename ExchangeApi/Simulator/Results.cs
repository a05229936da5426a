using System;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeApi.Simulator;

// What a run produced, besides the delivered copies (DeliveredCopy.cs).

public sealed record DeliveredRecipient(string Address, RecipientCategory Category, DeliveredRoutingOverride? RoutingOverride, string? TlsDomain);

// RoutingDomain is the bare domain ("forcetls.contoso.com"), AddressType its type ("smtp").
public sealed record DeliveredRoutingOverride(
    string RoutingDomain,
    string AddressType,
    DeliveryQueueDomain DeliveryQueueDomain,
    IReadOnlyList<string> AlternateDeliveryRoutingHosts);

// Recipients.Remove(recipient, DsnType.Failure, response[, sourceContext]): the sender gets an NDR for this recipient.
public sealed record NonDelivery(string Recipient, string StatusCode, string EnhancedStatusCode, string StatusText, string EventTopic, string? SourceContext);

// source.Defer(...): the whole item goes back to the submission queue; nothing is delivered now.
public sealed record Deferral(IReadOnlyList<string> Recipients, TimeSpan WaitTime, SmtpResponse? Reason, string? TrackingContext, string EventTopic);

public enum DropReason
{
    // Recipients.Remove(recipient) or Remove(address): no NDR.
    Removed,

    // Recipients.Clear().
    Cleared,

    // Recipients.Remove(recipient, DsnType.Expanded, ...).
    Expanded,

    // source.Delete(): the whole item, no DSN.
    Deleted,

    // Transport cleared the recipients because the agent left the MIME write stream open.
    AgentDidNotCloseMimeStream,

    // The agent called Defer with a MIME write stream open: content restored, recipients cleared, no deferral.
    DeferredWithOpenWriteStream,
}

// A recipient that silently disappeared: nobody is told.
public sealed record DroppedRecipient(string Address, DropReason Reason, string EventTopic);

public enum TransportCrashKind
{
    // An exception other than IOException left an event handler (or was set as AsyncException): EdgeTransport.exe crashes
    // and the message is retried, then poisoned.
    EdgeTransportCrashed,

    // RoutingAgentFactory.CreateAgent threw (MExAgentInstanceCreationFailure, 1053): the message is not processed.
    AgentCreationFailed,

    // The factory constructor threw: the Microsoft Exchange Transport service stops; nothing flows.
    TransportServiceStopped,
}

public sealed record TransportCrash(TransportCrashKind Kind, string EventTopic, string ExceptionType, string Message, Exception Exception);

// A rule of the agent contract that the agent broke; EventId is the MSExchange Extensibility event where there is one.
public sealed record TransportViolation(string Name, int? EventId, string EventTopic, string Description, IReadOnlyList<string> Recipients);

public static class ViolationNames
{
    // The MIME write stream was still open when the handler returned (or at Complete): content restored, recipients cleared.
    public const string AgentDidNotCloseMimeStream = "AgentDidNotCloseMimeStream";

    // 1050: the agent took longer than the slow-agent threshold. Logged after it finished: Exchange does not abandon it.
    public const string MExAgentTooSlow = "MExAgentTooSlow";

    // Not an Exchange event: the agent never completed within HungAgentTimeout. On a server the message would be held
    // for ever; the simulator gives up so a test cannot hang.
    public const string AgentHeldMessageForever = "AgentHeldMessageForever";

    // 1051: an IOException left the handler; transport logs it and goes on.
    public const string AgentFault = "AgentFault";

    // 1056: AgentAsyncContext.Complete() called twice.
    public const string MExAgentCompletedTwice = "MExAgentCompletedTwice";

    // 1057: the MailItem was touched from a thread that had not called AgentAsyncContext.Resume().
    public const string MExAgentDidNotCallResume = "MExAgentDidNotCallResume";

    // Not an Exchange event: the MailItem was touched after its event had ended (Complete, timeout, delivery).
    public const string AgentUsedMailItemAfterEvent = "AgentUsedMailItemAfterEvent";
}
