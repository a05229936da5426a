using System;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>
/// A content condition was asked about content the agent could not read (a malformed or oversized TNEF part). The
/// evaluator turns it into a rule error: "no match" would quietly let such mail skip a protecting rule.
/// </summary>
internal sealed class UnreadableContentException : Exception
{
    public UnreadableContentException(string message)
        : base(message)
    {
    }

    public UnreadableContentException()
    {
    }

    public UnreadableContentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
