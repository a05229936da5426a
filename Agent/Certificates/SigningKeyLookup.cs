using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>The result of a signing-key lookup.</summary>
internal sealed class SigningKeyLookup
{
    private SigningKeyLookup(PrivateKeyEntry? key, string? failure)
    {
        Key = key;
        FailureReason = failure;
    }

    /// <summary>The key, when found.</summary>
    public PrivateKeyEntry? Key { get; }

    /// <summary>Why nothing usable was found (ASCII).</summary>
    public string? FailureReason { get; }

    /// <summary>True when <see cref="Key"/> is set.</summary>
    public bool Found => Key is not null;

    /// <summary>A found key.</summary>
    public static SigningKeyLookup Success(PrivateKeyEntry key) => new(Guard.NotNull(key), null);

    /// <summary>Nothing usable.</summary>
    public static SigningKeyLookup Failure(string reason) => new(null, Guard.NotNull(reason));
}
