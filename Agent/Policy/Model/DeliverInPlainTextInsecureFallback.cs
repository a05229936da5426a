using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// INSECURE opt-in: deliver in plain text, unprotected. Only ever used when an administrator wrote it explicitly;
/// every use logs a warning event.
/// </summary>
public sealed class DeliverInPlainTextInsecureFallback : FallbackStep
{
}
