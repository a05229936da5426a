using System.Collections.Generic;
using ExchangeEncryptionAgent.Smime;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The envelope of one copy: every recipient's certificate and the recovery certificates (each once), the settings
/// they share, and the one Bcc recipient the copy may name.
/// </summary>
internal sealed record EncryptInstruction(IReadOnlyList<SmimeRecipient> Recipients, EncryptSettings Settings, string? BlindRecipient);
