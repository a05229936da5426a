using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>What one load produced: a value, or the errors that prevented it.</summary>
public sealed class LoadOutcome<T>
    where T : class
{
    internal LoadOutcome(T? value, string description, IReadOnlyList<string> errors, bool isTransient)
    {
        Value = value;
        Description = description;
        Errors = errors;
        IsTransient = isTransient;
    }

    /// <summary>The loaded value; null on failure.</summary>
    public T? Value { get; }

    /// <summary>What was loaded, for the success event (for example "12 rules, SHA-256 ab12...").</summary>
    public string Description { get; }

    /// <summary>Every error, formatted for administrators.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>True when the failure may pass by itself (a file still being written): the watcher retries.</summary>
    public bool IsTransient { get; }

    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Succeeded => Value is not null;
}

/// <summary>Creates <see cref="LoadOutcome{T}"/> values.</summary>
internal static class LoadOutcome
{
    /// <summary>A successful load.</summary>
    public static LoadOutcome<T> Success<T>(T value, string description)
        where T : class
        => new(Guard.NotNull(value), description ?? string.Empty, Array.Empty<string>(), false);

    /// <summary>A failed load; <paramref name="isTransient"/> asks the watcher to retry.</summary>
    public static LoadOutcome<T> Failure<T>(IReadOnlyList<string> errors, bool isTransient = false)
        where T : class
        => new(null, string.Empty, Guard.NotNull(errors), isTransient);

    /// <summary>Loads a policy file (writing its load warnings to <paramref name="log"/>) as a watcher outcome.</summary>
    public static LoadOutcome<PolicySet> FromPolicyFile(string path, IAgentLog? log = null) => FromPolicy(PolicyLoader.LoadFile(path, log));

    /// <summary>Converts a policy load result.</summary>
    public static LoadOutcome<PolicySet> FromPolicy(PolicyLoadResult result)
    {
        Guard.NotNull(result);
        return result.Policy is { } policy
            ? Success(policy, $"{policy.SourcePath}: {policy.Rules.Count} rules, SHA-256 {policy.Sha256}")
            : Failure<PolicySet>(result.Errors.Select(e => e.ToString()).ToArray(), result.IsTransient);
    }
}
