using System;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Raised after every reload attempt, successful or not.</summary>
internal sealed class PolicyReloadedEventArgs<T> : EventArgs
    where T : class
{
    internal PolicyReloadedEventArgs(LoadOutcome<T> outcome, T? current)
    {
        Outcome = outcome;
        Current = current;
    }

    /// <summary>What the load produced.</summary>
    public LoadOutcome<T> Outcome { get; }

    /// <summary>The value in force after the attempt (the old one when the load failed).</summary>
    public T? Current { get; }
}
