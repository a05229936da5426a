using System;
using System.IO;
using ExchangeEncryptionAgent.Certificates;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The result of decrypting one enveloped-data or authEnveloped-data layer. <see cref="Plaintext"/> is a temporary
/// file positioned at 0, owned by the caller, and only ever set for a complete, verified plaintext.
/// </summary>
internal sealed class CmsDecryptResult
{
    private CmsDecryptResult(CmsDecryptStatus status, Stream? plaintext, PrivateKeyEntry? key, string? algorithm, Exception? failure)
    {
        Status = status;
        Plaintext = plaintext;
        Key = key;
        Algorithm = algorithm;
        Failure = failure;
    }

    public CmsDecryptStatus Status { get; }

    public Stream? Plaintext { get; }

    /// <summary>The key that decrypted it.</summary>
    public PrivateKeyEntry? Key { get; }

    /// <summary>OpenSSL's name of the content encryption (aes-256-cbc, aes-128-gcm...), when known.</summary>
    public string? Algorithm { get; }

    /// <summary>What went wrong, for a Debug-level event only: never shown to senders or in headers.</summary>
    public Exception? Failure { get; }

    public static CmsDecryptResult Decrypted(Stream plaintext, PrivateKeyEntry key, string algorithm)
        => new(CmsDecryptStatus.Decrypted, plaintext, key, algorithm, null);

    public static CmsDecryptResult NotForUs(string? algorithm) => new(CmsDecryptStatus.NotForUs, null, null, algorithm, null);

    public static CmsDecryptResult Failed(string? algorithm, Exception? failure) => new(CmsDecryptStatus.Failed, null, null, algorithm, failure);
}
