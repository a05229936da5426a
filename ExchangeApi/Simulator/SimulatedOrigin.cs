namespace ExchangeApi.Simulator;

// How the simulated message entered transport; it decides InboundDeliveryMethod, OriginalAuthenticator and the
// recipients' RecipientCategory as the evidence note says Exchange does (../shared/reference/exchange-behaviour-evidence.md):
// Mailbox: InboundDeliveryMethod Mailbox, OriginalAuthenticator "", categories by accepted domain (ExternalRelay too).
// SmtpAuthenticated: Smtp, OriginalAuthenticator = the authenticated identity (MAIL FROM), categories by accepted domain.
// SmtpAnonymous: Smtp, OriginalAuthenticator "<>", every recipient Incoming (mail from the Internet).
// Pickup: File, OriginalAuthenticator "", every recipient Unknown (no directionality).
public enum SimulatedOrigin
{
    Mailbox,
    SmtpAuthenticated,
    SmtpAnonymous,
    Pickup,
}
