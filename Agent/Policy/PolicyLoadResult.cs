using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>The outcome of loading a policy: a policy and its warnings, or every error found.</summary>
public sealed class PolicyLoadResult
{
    internal PolicyLoadResult(PolicySet? policy, IReadOnlyList<PolicyError> errors, IReadOnlyList<PolicyError> warnings, bool isTransient)
    {
        Policy = policy;
        Errors = errors;
        Warnings = warnings;
        IsTransient = isTransient;
    }

    /// <summary>The policy; null when there are errors.</summary>
    public PolicySet? Policy { get; }

    /// <summary>Every error (empty when the policy loaded).</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>Things that load but deserve attention (an insecure fallback, an unreachable fallback step).</summary>
    public IReadOnlyList<PolicyError> Warnings { get; }

    /// <summary>True when the file could not be read for a reason that may pass (a sharing violation while it is saved).</summary>
    public bool IsTransient { get; }

    /// <summary>True when <see cref="Policy"/> is set.</summary>
    public bool Succeeded => Policy is not null;
}
