using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// How a copy is encrypted, apart from whom to: recipients whose settings are equal share one envelope, each with
/// their own certificate (<see cref="RecipientTreatment.EncryptionCertificate"/>).
/// </summary>
internal sealed record EncryptSettings(
    ContentEncryptionAlgorithm Algorithm, KeyTransportAlgorithm KeyTransport, bool HeaderProtection, string SubjectPlaceholder);
