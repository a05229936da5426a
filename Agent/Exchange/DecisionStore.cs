using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The plans decided at OnResolvedMessage, by decision id, until OnCategorizedMessage builds their copies. The copies'
/// transforms hold the certificates and keys of the policy version that decided, so a reload in between changes
/// nothing. Bounded in count and age: the categorizer runs the events of one message within seconds; a plan that is
/// gone (transport restarted, evicted) makes OnCategorizedMessage fail closed, and the retry decides afresh.
/// </summary>
internal sealed class DecisionStore
{
    internal const int Capacity = 10000;

    internal static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, (ProcessingPlan Plan, DateTime StoredUtc)> _plans = new(StringComparer.Ordinal);

    public void Add(string decisionId, ProcessingPlan plan, DateTime nowUtc)
    {
        lock (_gate)
        {
            if (_plans.Count >= Capacity)
            {
                foreach (var old in _plans.Where(p => nowUtc - p.Value.StoredUtc > MaxAge).Select(p => p.Key).ToList())
                {
                    _plans.Remove(old);
                }

                if (_plans.Count >= Capacity)
                {
                    _plans.Remove(_plans.OrderBy(p => p.Value.StoredUtc).First().Key);
                }
            }

            _plans[decisionId] = (plan, nowUtc);
        }
    }

    public ProcessingPlan? Find(string decisionId, DateTime nowUtc)
    {
        lock (_gate)
        {
            return _plans.TryGetValue(decisionId, out var entry) && nowUtc - entry.StoredUtc <= MaxAge ? entry.Plan : null;
        }
    }

    /// <summary>Forgets everything (tests: a transport restart between the events).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _plans.Clear();
        }
    }
}
