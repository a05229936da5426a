using System;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The internal-error outcome. Default: defer the message with a transient response, so nothing a rule wants
/// protected can leave unprotected; Exchange retries it after RetryInterval (until its own message expiration).
/// The opt-in PassThroughInsecure lets it continue unchanged.
/// </summary>
internal static class FailSafe
{
    public static void Apply(AgentRuntime runtime, QueuedMessageEventSource source, QueuedMessageEventArgs e, Exception error)
    {
        MailItem? mailItem = null;
        try
        {
            mailItem = e.MailItem;
        }
#pragma warning disable CA1031 // Describing the message is best effort.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Apply(runtime, source, mailItem, error);
    }

    public static void Apply(AgentRuntime runtime, QueuedMessageEventSource source, MailItem? mailItem, Exception error)
    {
        try
        {
            var outcome = runtime.Settings.OnInternalError;
            runtime.Log.Write(EventIds.InternalError,
                $"Processing failed for message {Describe(mailItem)}: {error.GetType().FullName}: {error.Message}. Outcome: {outcome}.",
                error);
            if (outcome == FailureOutcome.Defer)
            {
                source.Defer(runtime.Settings.RetryInterval, new SmtpResponse("451", "4.7.0", "Temporary encryption agent error, message deferred"));
            }
        }
#pragma warning disable CA1031 // Even the fail-safe must not throw into Exchange.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            try
            {
                runtime.Log.Write(EventIds.FailSafeFailed, $"The internal-error outcome could not be applied: {ex.GetType().Name}: {ex.Message}");
            }
#pragma warning disable CA1031 // Nothing is left to report to.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>A safe label for logs: the Message-ID when it can be read.</summary>
    public static string Describe(MailItem? mailItem)
    {
        try
        {
            var id = mailItem?.Message?.MessageId;
            return string.IsNullOrEmpty(id) ? "(no Message-ID)" : id!;
        }
#pragma warning disable CA1031 // A deferred or broken item throws on every member.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(unreadable)";
        }
    }
}
