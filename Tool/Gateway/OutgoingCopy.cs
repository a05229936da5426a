using System.Collections.Generic;
using System.IO;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// One message to hand back to Postfix: its envelope and its content (a spool file, positioned at 0).
/// <paramref name="RequireTls"/> sends it through the forced-TLS re-injection service.
/// </summary>
internal sealed record OutgoingCopy(string MailFrom, IReadOnlyList<string> Recipients, Stream Content, bool RequireTls, string Description);
