using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

internal sealed class SimulatedEnvelopeRecipient : EnvelopeRecipient
{
    private readonly SimulatedMailItem _owner;
    private readonly ExtendedPropertyDictionary _properties;
    private readonly bool _isInternal;
    private RoutingAddress _address;
    private string _originalRecipient;
    private DsnTypeRequested _requestedReports;
    private bool _deleted;

    public SimulatedEnvelopeRecipient(SimulatedMailItem owner, RoutingAddress address, bool isInternal, IEnumerable<KeyValuePair<string, object>>? properties = null)
    {
        _owner = owner;
        _address = address;
        _isInternal = isInternal;
        _originalRecipient = "rfc822;" + address;
        _properties = new ExtendedPropertyDictionary(CheckAccess, properties);
    }

    public RoutingOverride? RoutingOverride { get; set; }

    // Set when Fork moved this recipient to a clone: its copy there.
    public SimulatedEnvelopeRecipient? MovedTo { get; set; }

    public bool IsInternal => _isInternal;

    public string? TlsDomain { get; set; }

    public string AddressText => _address.ToString();

    public override RoutingAddress Address
    {
        get
        {
            CheckAccess();
            return _address;
        }

        set
        {
            CheckAccess();
            if (!value.IsValid)
            {
                throw new ArgumentException("The recipient address is not a valid SMTP address: " + value, nameof(value));
            }

            _address = value;
        }
    }

    public override string OriginalRecipient
    {
        get
        {
            CheckAccess();
            return _originalRecipient;
        }

        set
        {
            CheckAccess();
            _originalRecipient = value ?? string.Empty;
        }
    }

    public override DsnTypeRequested RequestedReports
    {
        get
        {
            CheckAccess();
            return _requestedReports;
        }

        set
        {
            CheckAccess();
            _requestedReports = value;
        }
    }

    public override IDictionary<string, object> Properties
    {
        get
        {
            CheckAccess();
            return _properties;
        }
    }

    public override DeliveryMethod OutboundDeliveryMethod
    {
        get
        {
            CheckAccess();
            return _isInternal ? DeliveryMethod.Mailbox : DeliveryMethod.Smtp;
        }
    }

    public override RecipientCategory RecipientCategory
    {
        get
        {
            CheckAccess();
            return _owner.Run.CategoryOf(_address, _isInternal);
        }
    }

    // Documented: members of a recipient that has been removed throw ObjectDisposedException.
    public void Detach() => _deleted = true;

    // The recipient as it moves to a fork clone: same address, overrides and properties, new owner.
    public SimulatedEnvelopeRecipient CopyTo(SimulatedMailItem clone, bool keepRoutingOverride = true) =>
        new(clone, _address, _isInternal, _properties.Snapshot())
        {
            _originalRecipient = _originalRecipient,
            _requestedReports = _requestedReports,
            RoutingOverride = keepRoutingOverride ? RoutingOverride : null,
            TlsDomain = keepRoutingOverride ? TlsDomain : null,
        };

    public DeliveredRecipient ToDelivered() =>
        new(
            AddressText,
            _owner.Run.CategoryOf(_address, _isInternal),
            RoutingOverride is null
                ? null
                : new DeliveredRoutingOverride(
                    RoutingOverride.RoutingDomain.Domain,
                    RoutingOverride.RoutingDomain.Type,
                    RoutingOverride.DeliveryQueueDomain,
                    RoutingOverride.AlternateDeliveryRoutingHosts?.Select(h => h.ToString()).ToArray() ?? []),
            TlsDomain);

    private void CheckAccess()
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        _owner.CheckAccess();
    }
}
