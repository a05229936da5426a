using System;
using System.Diagnostics;
using System.Threading;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>Bounded waiting: every wait of the Postfix tests polls a condition until a deadline, then fails saying what it waited for.</summary>
internal static class Poll
{
    public static T Until<T>(Func<T?> probe, TimeSpan timeout, Func<string> describe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0} s waiting for: {describe()}");
            }

            Thread.Sleep(200);
        }
    }

    public static void Until(Func<bool> condition, TimeSpan timeout, Func<string> describe)
        => Until(() => condition() ? string.Empty : null, timeout, describe);
}
