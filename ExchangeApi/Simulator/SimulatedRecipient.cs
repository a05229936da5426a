namespace ExchangeApi.Simulator;

// An envelope recipient (RCPT TO). Internal recipients get RecipientCategory.InSameOrganization and count as internal in
// the simulated AddressBook; the others get InDifferentOrganization.
public sealed record SimulatedRecipient(string Address, bool IsInternal);
