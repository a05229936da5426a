using System;
using System.Runtime.CompilerServices;

namespace ExchangeEncryptionAgent;

/// <summary>Argument guards that work on net48 too (ArgumentNullException.ThrowIfNull does not exist there).</summary>
internal static class Guard
{
    /// <summary>Returns <paramref name="value"/>, or throws when it is null.</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
        => value ?? throw new ArgumentNullException(name);
}
