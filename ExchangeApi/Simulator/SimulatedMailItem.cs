using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using Microsoft.Exchange.Data.Mime;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Email;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeApi.Simulator;

internal enum ItemState
{
    Active,
    Deferred,
    Deleted,
    Finished,
}

// A MailItem in the categorizer. Every public member goes through CheckAccess, which reproduces what a real server
// enforces: "Message Deferred" after Defer, the Resume() rule for worker threads, and no use after the event.
[SuppressMessage("Design", "CA1001", Justification = "The agent owns the write stream it opened; EmailMessage holds nothing to release.")]
internal sealed class SimulatedMailItem : MailItem
{
    private readonly RunContext _run;
    private readonly List<SimulatedEnvelopeRecipient> _recipients = [];
    private readonly SimulatedRecipientCollection _recipientCollection;
    private readonly ExtendedPropertyDictionary _properties;
    private readonly EmailMessage _message;
    private readonly DateTime _dateTimeReceived;
    private ContentFile _content;
    private ContentFile _originalContent;
    private DeliveryMethod _inboundDeliveryMethod = DeliveryMethod.Smtp;
    private bool _contentConverted;
    private MimeWriteStream? _openWriteStream;
    private RoutingAddress _fromAddress;
    private string _originalAuthenticator = string.Empty;
    private string _envelopeId = string.Empty;
    private string _originatorOrganization = string.Empty;
    private DsnFormatRequested _dsnFormatRequested;
    private DeliveryPriority _deliveryPriority = DeliveryPriority.Normal;
    private bool _mustDeliver;
    private bool _reportedUseAfterEvent;
    private string _lastTopic = string.Empty;

    private SimulatedMailItem(RunContext run, ContentFile content, RoutingAddress fromAddress, DateTime received, int startTopicIndex, IEnumerable<KeyValuePair<string, object>>? properties)
    {
        _run = run;
        _content = content;
        _originalContent = content;
        _fromAddress = fromAddress;
        _dateTimeReceived = received;
        StartTopicIndex = startTopicIndex;
        _recipientCollection = new SimulatedRecipientCollection(this);
        _properties = new ExtendedPropertyDictionary(CheckAccess, properties);
        _message = new EmailMessage(new CurrentMessageFacts(this));
    }

    public ItemState State { get; private set; }

    public EventInvocation? Invocation { get; private set; }

    // Index of the first event this item gets: 0 for the original, the forking event for a clone.
    public int StartTopicIndex { get; }

    public RunContext Run => _run;

    public ContentFile Content => _content;

    public string CurrentTopic => Invocation?.Topic ?? _lastTopic;

    public IReadOnlyList<SimulatedEnvelopeRecipient> RecipientList => _recipients;

    public IEnumerable<string> RecipientAddresses => _recipients.Select(r => r.AddressText).ToArray();

    public override string OriginalAuthenticator
    {
        get => Checked(_originalAuthenticator);
        set => Set(ref _originalAuthenticator, value ?? string.Empty);
    }

    public override DateTime DateTimeReceived => Checked(_dateTimeReceived);

    public override string EnvelopeId
    {
        get => Checked(_envelopeId);
        set => Set(ref _envelopeId, value ?? string.Empty);
    }

    public override RoutingAddress FromAddress
    {
        get => Checked(_fromAddress);
        set => Set(ref _fromAddress, value);
    }

    public override string OriginatingDomain => Checked(_fromAddress.DomainPart ?? string.Empty);

    public override EmailMessage Message => Checked(_message);

    public override long MimeStreamLength => Checked(_content.Length);

    public override IDictionary<string, object> Properties => Checked<IDictionary<string, object>>(_properties);

    public override EnvelopeRecipientCollection Recipients => Checked<EnvelopeRecipientCollection>(_recipientCollection);

    public override DsnFormatRequested DsnFormatRequested
    {
        get => Checked(_dsnFormatRequested);
        set => Set(ref _dsnFormatRequested, value);
    }

    public override DeliveryPriority DeliveryPriority
    {
        get => Checked(_deliveryPriority);
        set => Set(ref _deliveryPriority, value);
    }

    public override DeliveryMethod InboundDeliveryMethod => Checked(_inboundDeliveryMethod);

    // How many times Defer sent this message back to the submission queue before this pass.
    public int Resubmissions { get; private set; }

    public override bool MustDeliver => Checked(_mustDeliver);

    public override Guid TenantId => Checked(Guid.Empty);

    public override string OriginatorOrganization
    {
        get => Checked(_originatorOrganization);
        set => Set(ref _originatorOrganization, value ?? string.Empty);
    }

    public static SimulatedMailItem CreateOriginal(RunContext run, SimulatedMessage message, ContentFile content)
    {
        var item = new SimulatedMailItem(run, content, new RoutingAddress(message.FromAddress), DateTime.UtcNow, 0, null)
        {
            _inboundDeliveryMethod = message.InboundDeliveryMethod ?? run.InboundDeliveryMethod,

            // "<>" is Exchange's anonymous submitter; an authenticated one is named; mailbox and pickup give "".
            // A test may name the authenticator itself (an SMTP session nobody authenticated gives "").
            _originalAuthenticator = message.OriginalAuthenticator ?? run.Origin switch
            {
                SimulatedOrigin.SmtpAnonymous => "<>",
                SimulatedOrigin.SmtpAuthenticated => message.FromAddress is "" or "<>" ? "relay@" + run.Options.ServerName : message.FromAddress,
                _ => string.Empty,
            },
        };
        foreach (var recipient in message.Recipients)
        {
            item._recipients.Add(new SimulatedEnvelopeRecipient(item, new RoutingAddress(recipient.Address), recipient.IsInternal));
        }

        return item;
    }

    public override void SetMustDeliver()
    {
        CheckAccess();
        _mustDeliver = true;
    }

    public override Stream GetMimeReadStream()
    {
        CheckAccess();
        if (_openWriteStream is not null)
        {
            throw new InvalidOperationException("The MIME content cannot be read while a MIME write stream is open.");
        }

        return new MimeReadStream(this, _content.OpenRead());
    }

    public override Stream GetMimeWriteStream()
    {
        CheckAccess();
        if (_openWriteStream is not null)
        {
            throw new InvalidOperationException("A MIME write stream is already open for this mail item.");
        }

        _openWriteStream = new MimeWriteStream(this, _run.Store.NewFilePath());
        return _openWriteStream;
    }

    // The gate of every agent-visible member.
    public void CheckAccess()
    {
        if (State == ItemState.Deferred)
        {
            // Exchange quirk: once deferred, every member of the item throws.
            throw new InvalidOperationException("Message Deferred");
        }

        var invocation = Invocation;
        if (invocation is null)
        {
            if (!_reportedUseAfterEvent)
            {
                _reportedUseAfterEvent = true;
                _run.Recorder.Violation(ViolationNames.AgentUsedMailItemAfterEvent, null, _lastTopic, "The agent used the mail item after its event had ended (after Complete(), a timeout, or delivery).");
            }

            throw new InvalidOperationException("The mail item is no longer available to the agent: its event has ended.");
        }

        if (invocation.CheckThread() == ThreadAccess.FirstUnresumedAccess)
        {
            _run.Recorder.Violation(
                ViolationNames.MExAgentDidNotCallResume,
                1057,
                invocation.Topic,
                "Thread " + Environment.CurrentManagedThreadId + " used the mail item without calling AgentAsyncContext.Resume() first.");
        }
    }

    public void BeginEvent(EventInvocation invocation) => Invocation = invocation;

    public void EndEvent()
    {
        _lastTopic = Invocation?.Topic ?? _lastTopic;
        Invocation = null;
    }

    public void Finish()
    {
        Invocation = null;
        if (State == ItemState.Active)
        {
            State = ItemState.Finished;
        }
    }

    public void CommitWriteStream(MimeWriteStream stream, string path)
    {
        if (!ReferenceEquals(_openWriteStream, stream))
        {
            return;
        }

        _openWriteStream = null;
        if (State == ItemState.Active)
        {
            _content = new ContentFile(path, _run.Store);
        }
    }

    // Exchange quirk (EnsureMimeWriteStreamClosed): a write stream still open when the handler returns or at Complete()
    // restores the last saved content AND clears every recipient, so the message is silently lost.
    public void EnsureWriteStreamClosed(string eventTopic)
    {
        var stream = _openWriteStream;
        if (stream is null)
        {
            return;
        }

        _openWriteStream = null;
        stream.Abandon();
        if (State != ItemState.Active)
        {
            return;
        }

        var lost = RecipientAddresses.ToArray();
        _run.Recorder.Violation(ViolationNames.AgentDidNotCloseMimeStream, null, eventTopic, "The MIME write stream was still open: content restored and all recipients cleared.", lost);
        _run.Recorder.Dropped(lost, DropReason.AgentDidNotCloseMimeStream, eventTopic);
        DetachAll();
    }

    // Exchange: "reverts the contents of the current MailItem to the original contents and defers processing". Its
    // wait time is not checked (a zero wait counts toward the resubmit limit). With a MIME write stream still open, the
    // content is restored and every recipient cleared instead: no deferral, the message is silently lost.
    public void Defer(TimeSpan waitTime, SmtpResponse? reason, string? trackingContext)
    {
        CheckActive();
        if (_run.Options.DeferFault is { } fault)
        {
            throw fault();
        }

        if (_openWriteStream is { } open)
        {
            _openWriteStream = null;
            open.Abandon();
            var lost = RecipientAddresses.ToArray();
            _run.Recorder.Dropped(lost, DropReason.DeferredWithOpenWriteStream, CurrentTopic);
            DetachAll();
            State = ItemState.Deleted;
            return;
        }

        _content = _originalContent;
        _contentConverted = false;
        _run.Recorder.Deferral(new Deferral(RecipientAddresses.ToArray(), waitTime, reason, trackingContext, CurrentTopic));
        State = ItemState.Deferred;
        if (Resubmissions < _run.Options.ResubmitDeferred)
        {
            _run.Enqueue(Resubmit());
        }
    }

    // After the wait, the deferred message enters the submission queue again: original content, same recipients, from
    // OnSubmittedMessage. Whether MailItem.Properties survive is not documented; the simulator keeps them (the case
    // in which an agent that trusted a property alone would let plain text through).
    private SimulatedMailItem Resubmit()
    {
        var again = new SimulatedMailItem(_run, _originalContent, _fromAddress, _dateTimeReceived, 0, _properties.Snapshot())
        {
            Resubmissions = Resubmissions + 1,
        };
        CopySubmissionFactsTo(again);
        foreach (var recipient in _recipients)
        {
            again._recipients.Add(recipient.CopyTo(again, keepRoutingOverride: false));
        }

        return again;
    }

    // Content conversion, between OnRoutedMessage and OnCategorizedMessage. Summary-TNEF becomes MIME for recipients
    // outside the organisation; recipients inside keep Summary-TNEF. Bifurcation: when both kinds are on the item,
    // the inside recipients move to a clone that keeps the TNEF content and enters OnCategorizedMessage after this item.
    public void ConvertContent(int categorizedTopicIndex)
    {
        if (_contentConverted || State != ItemState.Active)
        {
            return;
        }

        _contentConverted = true;
        if (!SummaryTnef.IsTnef(_content))
        {
            return;
        }

        var inside = _recipients.Where(r => r.IsInternal).ToList();
        var outside = _recipients.Where(r => !r.IsInternal).ToList();
        if (outside.Count == 0)
        {
            return;
        }

        if (inside.Count > 0)
        {
            var clone = CloneFor(inside, categorizedTopicIndex);
            clone._contentConverted = true;
            _run.Enqueue(clone);
        }

        _content = SummaryTnef.Convert(_content, _run.Store) ?? _content;
    }

    public void Delete()
    {
        CheckActive();
        _run.Recorder.Dropped(RecipientAddresses, DropReason.Deleted, CurrentTopic);
        State = ItemState.Deleted;
    }

    // The current item keeps `keep`; a clone with the other recipients gets the current event again later.
    public void Fork(IList<EnvelopeRecipient> keep)
    {
        CheckActive();
        if (_run.Options.ForkFault is { } fault)
        {
            throw fault();
        }

        ArgumentNullException.ThrowIfNull(keep);
        if (keep.Count == 0)
        {
            throw new ArgumentException("Fork needs at least one recipient to keep on the current mail item.", nameof(keep));
        }

        var kept = new HashSet<SimulatedEnvelopeRecipient>();
        foreach (var recipient in keep)
        {
            kept.Add(Own(recipient, nameof(keep)));
        }

        var moving = _recipients.Where(r => !kept.Contains(r)).ToList();
        if (moving.Count == 0)
        {
            return;
        }

        _run.Enqueue(CloneFor(moving, Invocation?.TopicIndex ?? StartTopicIndex));
    }

    // What transport knows about the submission and the envelope; a fork clone and a resubmitted item keep it all.
    private void CopySubmissionFactsTo(SimulatedMailItem target)
    {
        target._inboundDeliveryMethod = _inboundDeliveryMethod;
        target._originalAuthenticator = _originalAuthenticator;
        target._envelopeId = _envelopeId;
        target._originatorOrganization = _originatorOrganization;
        target._dsnFormatRequested = _dsnFormatRequested;
        target._deliveryPriority = _deliveryPriority;
        target._mustDeliver = _mustDeliver;
    }

    // A new item with `moving` (taken off this one), the same content and properties, from event `startTopicIndex` on.
    // Each moved recipient remembers its clone: Exchange lets SetRoutingOverride on a moved recipient land there.
    private SimulatedMailItem CloneFor(List<SimulatedEnvelopeRecipient> moving, int startTopicIndex)
    {
        var clone = new SimulatedMailItem(_run, _content, _fromAddress, _dateTimeReceived, startTopicIndex, _properties.Snapshot())
        {
            _originalContent = _originalContent,
            _contentConverted = _contentConverted,
            Resubmissions = Resubmissions,
        };
        CopySubmissionFactsTo(clone);
        foreach (var recipient in moving)
        {
            var copy = recipient.CopyTo(clone);
            recipient.MovedTo = copy;
            clone._recipients.Add(copy);
            _recipients.Remove(recipient);
        }

        return clone;
    }

    // Like Own, but a recipient that Fork moved to a clone resolves to its copy there (SetRoutingOverride's behaviour).
    public SimulatedEnvelopeRecipient OwnOrMoved(EnvelopeRecipient recipient, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(recipient, parameterName);
        if (recipient is SimulatedEnvelopeRecipient current)
        {
            if (_recipients.Contains(current))
            {
                return current;
            }

            while (current.MovedTo is { } next)
            {
                current = next;
            }

            if (!ReferenceEquals(current, recipient))
            {
                return current;
            }
        }

        throw new ArgumentException("The recipient is not on this mail item.", parameterName);
    }

    public SimulatedEnvelopeRecipient Own(EnvelopeRecipient recipient, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(recipient, parameterName);
        if (recipient is SimulatedEnvelopeRecipient simulated && _recipients.Contains(simulated))
        {
            return simulated;
        }

        throw new ArgumentException("The recipient is not on this mail item.", parameterName);
    }

    public bool IsOnItem(SimulatedEnvelopeRecipient recipient) => _recipients.Contains(recipient);

    public void AddRecipient(RoutingAddress address)
    {
        var isInternal = _run.AddressBook.IsInternal(address);
        _recipients.Add(new SimulatedEnvelopeRecipient(this, address, isInternal));
    }

    public bool RemoveRecipient(SimulatedEnvelopeRecipient recipient)
    {
        if (!_recipients.Remove(recipient))
        {
            return false;
        }

        recipient.Detach();
        return true;
    }

    public void DetachAll()
    {
        foreach (var recipient in _recipients)
        {
            recipient.Detach();
        }

        _recipients.Clear();
    }

    public DeliveredCopy ToDeliveredCopy() =>
        new(
            _fromAddress.ToString(),
            _recipients.Select(r => r.ToDelivered()).ToArray(),
            _properties.Snapshot(),
            _content);

    private void CheckActive()
    {
        CheckAccess();
        if (State == ItemState.Deleted)
        {
            throw new InvalidOperationException("The mail item has been deleted.");
        }
    }

    private T Checked<T>(T value)
    {
        CheckAccess();
        return value;
    }

    private void Set<T>(ref T field, T value)
    {
        CheckAccess();
        field = value;
    }

    // EmailMessage's values always describe the item's current content.
    private sealed class CurrentMessageFacts(SimulatedMailItem item) : IEmailMessageFacts
    {
        public string Subject => Facts.Subject;

        public string MessageId => Facts.MessageId;

        public bool IsSystemMessage => Facts.IsSystemMessage;

        public bool IsOpaqueMessage => Facts.IsOpaque;

        public MessageSecurityType MessageSecurityType => Facts.SecurityType;

        public MimePart? TnefPart => SummaryTnef.IsTnef(item._content) ? new MimePart(Facts.MediaType) : null;

        private MessageFacts Facts
        {
            get
            {
                item.CheckAccess();
                return item._content.Facts;
            }
        }
    }
}
