using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The platform's RSA (OpenSSL on Linux, CNG on Windows) for one BouncyCastle private key (or a certificate's public
/// key, <see cref="ForPublicKey"/>), made once per key and
/// reused: importing a key costs the platform about three private-key operations (10 ms against 3 ms measured on
/// the 2-core build machine), so an import per message would cost more than BouncyCastle's managed arithmetic saves.
/// </summary>
/// <remarks>
/// The platform does not promise that one RSA instance may be used by several threads at once, so each operation
/// takes an idle instance from a small pool (as many as messages were ever processed at once with this key) and
/// puts it back. <see cref="Release"/> disposes them when the key set is replaced; an instance still in use by a
/// message of the old set is disposed when that message gives it back, so a reload never breaks a message in flight.
/// </remarks>
internal sealed class PlatformRsaKey : IDisposable
{
    private static readonly ConditionalWeakTable<RsaPrivateCrtKeyParameters, PlatformRsaKey> Cache = new();

    private readonly RSAParameters _parameters;
    private readonly ConcurrentBag<RSA> _idle = new();
    private int _disposed;

    private PlatformRsaKey(RSAParameters parameters) => _parameters = parameters;

    /// <summary>Whether the platform can hold <paramref name="key"/> (a CRT private key: what PEM/PKCS#8 files hold).</summary>
    public static bool Supports(AsymmetricKeyParameter key) => key is RsaPrivateCrtKeyParameters;

    /// <summary>The one platform key of <paramref name="key"/>, made on first use.</summary>
    public static PlatformRsaKey For(RsaPrivateCrtKeyParameters key)
        => Cache.GetValue(Guard.NotNull(key), k => new PlatformRsaKey(DotNetUtilities.ToRSAParameters(k)));

    /// <summary>
    /// A pool for a public key (key transport). Not cached here: the caller keeps it beside the certificate it came
    /// from. Nothing secret is held, so it is never released; its objects go to the collector with it.
    /// </summary>
    public static PlatformRsaKey ForPublicKey(RsaKeyParameters key)
        => new(new RSAParameters { Modulus = key.Modulus.ToByteArrayUnsigned(), Exponent = key.Exponent.ToByteArrayUnsigned() });

    /// <summary>Disposes the platform key of <paramref name="key"/>, if one was made (the key set is being replaced).</summary>
    public static void Release(AsymmetricKeyParameter key)
    {
        if (key is RsaPrivateCrtKeyParameters crt && Cache.TryGetValue(crt, out var platformKey))
        {
            Cache.Remove(crt);
            platformKey.Dispose();
        }
    }

    /// <summary>Runs <paramref name="operation"/> with an instance no other thread uses meanwhile.</summary>
    public T Use<T>(Func<RSA, T> operation)
    {
        if (!_idle.TryTake(out var rsa))
        {
            rsa = Create();
        }

        try
        {
            return operation(rsa);
        }
        finally
        {
            _idle.Add(rsa);

            // Released meanwhile: the instance just returned is disposed too (Drain is safe to run twice).
            if (Volatile.Read(ref _disposed) != 0)
            {
                Drain();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var rsa))
        {
            rsa.Dispose();
        }
    }

    private RSA Create()
    {
#if NETFRAMEWORK
        // RSA.Create() is the CryptoAPI provider on .NET Framework, which has no PSS and no OAEP-SHA-256; CNG has all.
        RSA rsa = new RSACng();
#else
        var rsa = RSA.Create();
#endif
        try
        {
            rsa.ImportParameters(_parameters);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
