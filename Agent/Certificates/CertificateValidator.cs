using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkix;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Security.Certificates;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Store;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// Validates certificates against the configured trust anchors only (RFC 5280 §6 path validation with
/// BouncyCastle's PKIX builder): validity at the given time, key usage for the purpose (RFC 8550 §4.4.2), extended
/// key usage (RFC 8550 §4.4.4), RSA key size, and revocation from the configured CRL files (RFC 5280 §6.3).
/// A certificate is never trusted because it is self-signed or because a message carried it: certificates passed as
/// untrusted intermediates only help to build a path to a configured anchor. Online CRL fetching is not supported
/// (see <see cref="RevocationSettings.OnlineFetch"/>: it is logged at load and ignored).
/// Results are cached per (certificate, purpose) for a short time and never past the next validity or CRL boundary;
/// a result that used certificates a message carried is cached under those certificates too (SHA-256 of all of
/// them), in a cache of its own with a fixed number of entries, since a message decides what goes in it.
/// Thread-safe.
/// </summary>
internal sealed class CertificateValidator : ICertificateValidator
{
    /// <summary>How long a validation result is reused by default.</summary>
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Results that used certificates a message carried, at most: every sender chooses what it carries, so this cache
    /// must not grow with the mail. A full cache is emptied and starts again (a flood of new certificates only costs
    /// what validating without a cache costs).
    /// </summary>
    internal const int DefaultMaxCarriedResults = 4096;

    private const int MinimumRsaBits = 2048;
    private const int MaximumRsaBits = 4096;

    private readonly HashSet<TrustAnchor> _anchors;
    private readonly IReadOnlyList<X509Certificate> _anchorCertificates;
    private readonly IReadOnlyList<X509Certificate> _intermediates;
    private readonly IReadOnlyList<X509Crl> _crls;
    private readonly RevocationSettings _revocation;
    private readonly TimeSpan _cacheDuration;
    private readonly ConcurrentDictionary<CacheKey, CachedResult> _cache = new();
    private readonly ConcurrentDictionary<CacheKey, CachedResult> _carriedCache = new();
    private readonly int _maxCarriedResults;

    /// <summary>Creates a validator over the configured anchors, intermediates and CRLs.</summary>
    public CertificateValidator(
        IEnumerable<X509Certificate> trustAnchors,
        IEnumerable<X509Certificate> intermediates,
        IEnumerable<X509Crl> crls,
        RevocationSettings revocation,
        TimeSpan? cacheDuration = null,
        int maxCarriedResults = DefaultMaxCarriedResults)
    {
        _maxCarriedResults = maxCarriedResults;
        _anchorCertificates = Guard.NotNull(trustAnchors).Distinct().ToList();
        _anchors = new HashSet<TrustAnchor>(_anchorCertificates.Select(c => new TrustAnchor(c, null)));
        _intermediates = Guard.NotNull(intermediates).Distinct().ToList();
        _crls = Guard.NotNull(crls).ToList();
        _revocation = Guard.NotNull(revocation);
        _cacheDuration = cacheDuration ?? DefaultCacheDuration;
    }

    /// <summary>The configured anchors.</summary>
    public IReadOnlyList<X509Certificate> TrustAnchors => _anchorCertificates;

    /// <summary>The configured intermediates.</summary>
    public IReadOnlyList<X509Certificate> Intermediates => _intermediates;

    /// <inheritdoc />
    public CertificateValidationResult Validate(
        X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null)
        => ValidateTracked(certificate, purpose, atUtc, untrustedIntermediates).Result;

    /// <summary>As <see cref="Validate"/>, and says whether the result came from the cache (callers log only fresh results).</summary>
    internal (CertificateValidationResult Result, bool FromCache) ValidateTracked(
        X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates)
    {
        Guard.NotNull(certificate);
        var extra = untrustedIntermediates?.ToList() ?? new List<X509Certificate>();
        // A signature check passes the certificates its message carried: without them in the key, the path of every
        // signed message was built and its CRLs checked anew.
        var cache = extra.Count == 0 ? _cache : _carriedCache;
        var key = extra.Count == 0
            ? new CacheKey(CertificateNames.Thumbprint(certificate), purpose)
            : new CacheKey(CarriedKey(certificate, extra), purpose);
        var cacheable = _cacheDuration > TimeSpan.Zero;
        if (cacheable && cache.TryGetValue(key, out var cached) && cached.Covers(atUtc))
        {
            return (cached.Result, true);
        }

        var boundaries = new List<DateTime>();
        var result = ValidateUncached(certificate, purpose, atUtc, extra, boundaries);
        if (cacheable)
        {
            var until = atUtc + _cacheDuration;
            foreach (var boundary in boundaries.Where(b => b > atUtc))
            {
                until = boundary < until ? boundary : until;
            }

            if (extra.Count > 0 && _carriedCache.Count >= _maxCarriedResults)
            {
                _carriedCache.Clear();
            }

            cache[key] = new CachedResult(result, atUtc, until);
        }

        return (result, false);
    }

    private CertificateValidationResult ValidateUncached(
        X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, List<X509Certificate> extra, List<DateTime> boundaries)
    {
        var name = CertificateNames.Describe(certificate);
        boundaries.Add(certificate.NotBefore.ToUniversalTime());
        boundaries.Add(certificate.NotAfter.ToUniversalTime().AddSeconds(1));

        if (atUtc < certificate.NotBefore.ToUniversalTime())
        {
            return Problem(CertificateProblem.NotYetValid, $"certificate {name} is not valid before {Format(certificate.NotBefore)}");
        }

        if (atUtc > certificate.NotAfter.ToUniversalTime())
        {
            return Problem(CertificateProblem.Expired, $"certificate {name} expired on {Format(certificate.NotAfter)}");
        }

        var usage = CheckKeyUsage(certificate, purpose, name);
        if (usage is not null)
        {
            return usage;
        }

        var extendedUsage = CheckExtendedKeyUsage(certificate, name);
        if (extendedUsage is not null)
        {
            return extendedUsage;
        }

        if (certificate.GetPublicKey() is not RsaKeyParameters { IsPrivate: false } rsa
            || rsa.Modulus.BitLength < MinimumRsaBits || rsa.Modulus.BitLength > MaximumRsaBits)
        {
            return Problem(CertificateProblem.UnsupportedKey, $"certificate {name} does not have an RSA key of {MinimumRsaBits} to {MaximumRsaBits} bits");
        }

        if (!TryBuildPath(certificate, atUtc, extra, out var path, out var anchor, out var pathError))
        {
            return Problem(CertificateProblem.Untrusted, $"certificate {name} does not chain to a configured trust anchor ({pathError})");
        }

        foreach (var link in path.Skip(1).Append(anchor))
        {
            boundaries.Add(link.NotAfter.ToUniversalTime().AddSeconds(1));
        }

        return _revocation.Check ? CheckRevocation(path, anchor, atUtc, boundaries) : CertificateValidationResult.Valid;
    }

    private static CertificateValidationResult? CheckKeyUsage(X509Certificate certificate, CertificatePurpose purpose, string name)
    {
        // GetKeyUsage() is null when the extension is absent: then every use is allowed (RFC 5280 §4.2.1.3).
        var bits = certificate.GetKeyUsage();
        if (bits is null)
        {
            return null;
        }

        bool Has(int index) => bits.Length > index && bits[index];
        const int digitalSignature = 0, nonRepudiation = 1, keyEncipherment = 2;
        if (purpose == CertificatePurpose.Encryption && !Has(keyEncipherment))
        {
            // RSA key transport needs keyEncipherment (RFC 8550 §4.4.2); a signing-only certificate never encrypts.
            return Problem(CertificateProblem.WrongKeyUsage, $"certificate {name} is not for encryption (key usage lacks keyEncipherment)");
        }

        if (purpose == CertificatePurpose.Signing && !Has(digitalSignature) && !Has(nonRepudiation))
        {
            return Problem(CertificateProblem.WrongKeyUsage, $"certificate {name} is not for signing (key usage lacks digitalSignature and nonRepudiation)");
        }

        return null;
    }

    private static CertificateValidationResult? CheckExtendedKeyUsage(X509Certificate certificate, string name)
    {
        var purposes = certificate.GetExtendedKeyUsage();
        if (purposes is null || purposes.Count == 0)
        {
            return null;
        }

        var allowed = purposes.Any(p => p.Equals(KeyPurposeID.id_kp_emailProtection) || p.Equals(KeyPurposeID.AnyExtendedKeyUsage));
        return allowed
            ? null
            : Problem(CertificateProblem.WrongExtendedKeyUsage, $"certificate {name} is not for email (extended key usage lacks emailProtection)");
    }

    private bool TryBuildPath(X509Certificate certificate, DateTime atUtc, List<X509Certificate> extra,
        out IReadOnlyList<X509Certificate> path, out X509Certificate anchor, out string error)
    {
        path = new[] { certificate };
        anchor = certificate;
        error = string.Empty;

        // An administrator may configure a (self-signed) certificate itself as an anchor: trusted because configured.
        var configured = _anchorCertificates.FirstOrDefault(a => a.Equals(certificate));
        if (configured is not null)
        {
            path = Array.Empty<X509Certificate>();
            return true;
        }

        if (_anchors.Count == 0)
        {
            error = "no trust anchors are configured";
            return false;
        }

        try
        {
            var parameters = new PkixBuilderParameters(_anchors, new X509CertStoreSelector { Certificate = certificate })
            {
                IsRevocationEnabled = false,
                Date = atUtc,
            };
            parameters.AddStoreCert(CollectionUtilities.CreateStore(_intermediates.Concat(extra).Append(certificate).ToList()));
            parameters.AddCertPathChecker(new ExtendedKeyUsageChecker());
            var result = new PkixCertPathBuilder().Build(parameters);
            path = result.CertPath.Certificates.ToList();
            anchor = result.TrustAnchor.TrustedCert;
            return true;
        }
        catch (Exception ex) when (ex is PkixCertPathBuilderException or CertificateException or InvalidOperationException or ArgumentException)
        {
            error = CertificateNames.ToAscii(ex.Message);
            return false;
        }
    }

    private CertificateValidationResult CheckRevocation(IReadOnlyList<X509Certificate> path, X509Certificate anchor, DateTime atUtc, List<DateTime> boundaries)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var subject = path[i];
            var issuer = i + 1 < path.Count ? path[i + 1] : anchor;
            var name = CertificateNames.Describe(subject);
            var crl = FindCurrentCrl(subject, issuer, atUtc, boundaries);
            if (crl is null)
            {
                if (_revocation.WhenStatusUnknown == RevocationUnknownAction.TreatAsValid)
                {
                    continue;
                }

                return Problem(CertificateProblem.RevocationUnknown,
                    $"revocation status of certificate {name} is unknown (no current CRL from its issuer is configured)");
            }

            var entry = crl.GetRevokedCertificate(subject.SerialNumber);
            if (entry is not null && entry.RevocationDate.ToUniversalTime() <= atUtc)
            {
                return Problem(CertificateProblem.Revoked, $"certificate {name} was revoked on {Format(entry.RevocationDate)}");
            }

            if (entry is not null)
            {
                boundaries.Add(entry.RevocationDate.ToUniversalTime());
            }
        }

        return CertificateValidationResult.Valid;
    }

    /// <summary>A CRL signed by the issuer's key, naming the issuer, current at <paramref name="atUtc"/>; the newest such.</summary>
    private X509Crl? FindCurrentCrl(X509Certificate subject, X509Certificate issuer, DateTime atUtc, List<DateTime> boundaries)
    {
        X509Crl? best = null;
        foreach (var crl in _crls)
        {
            if (!crl.IssuerDN.Equivalent(subject.IssuerDN) || !IsSignedBy(crl, issuer))
            {
                continue;
            }

            var thisUpdate = crl.ThisUpdate.ToUniversalTime();
            var nextUpdate = crl.NextUpdate?.ToUniversalTime();
            if (thisUpdate > atUtc)
            {
                boundaries.Add(thisUpdate);
                continue;
            }

            if (nextUpdate is DateTime next)
            {
                if (next < atUtc)
                {
                    continue;
                }

                boundaries.Add(next.AddSeconds(1));
            }

            if (best is null || thisUpdate > best.ThisUpdate.ToUniversalTime())
            {
                best = crl;
            }
        }

        return best;
    }

    private static bool IsSignedBy(X509Crl crl, X509Certificate issuer)
    {
        // RFC 5280 §6.3.3 (f): the CRL issuer must be allowed to sign CRLs, and the signature must verify.
        var usage = issuer.GetKeyUsage();
        if (usage is not null && !(usage.Length > 6 && usage[6]))
        {
            return false;
        }

        try
        {
            crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (ex is InvalidKeyException or SignatureException or CrlException or InvalidOperationException)
        {
            return false;
        }
    }

    private static CertificateValidationResult Problem(CertificateProblem problem, string detail) => new(problem, detail);

    /// <summary>
    /// The key of a result that used carried certificates: SHA-256 over the certificate's SHA-256 and those of the
    /// carried ones, sorted (their order in the message does not change the result). SHA-256, not the SHA-1
    /// thumbprint: a sender chooses these certificates, so the key must be one no sender can make collide.
    /// </summary>
    private static string CarriedKey(X509Certificate certificate, IReadOnlyList<X509Certificate> carried)
    {
        var digests = carried.Select(c => Hex.Sha256(c.GetEncoded())).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal);
        return Hex.Sha256(Encoding.ASCII.GetBytes(Hex.Sha256(certificate.GetEncoded()) + "|" + string.Join(",", digests)));
    }

    private static string Format(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private readonly struct CacheKey : IEquatable<CacheKey>
    {
        public CacheKey(string thumbprint, CertificatePurpose purpose)
        {
            Thumbprint = thumbprint;
            Purpose = purpose;
        }

        public string Thumbprint { get; }

        public CertificatePurpose Purpose { get; }

        public bool Equals(CacheKey other) => Purpose == other.Purpose && string.Equals(Thumbprint, other.Thumbprint, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Thumbprint) * 31 + (int)Purpose;
    }

    private sealed class CachedResult
    {
        public CachedResult(CertificateValidationResult result, DateTime fromUtc, DateTime untilUtc)
        {
            Result = result;
            FromUtc = fromUtc;
            UntilUtc = untilUtc;
        }

        public CertificateValidationResult Result { get; }

        public DateTime FromUtc { get; }

        public DateTime UntilUtc { get; }

        public bool Covers(DateTime atUtc) => atUtc >= FromUtc && atUtc < UntilUtc;
    }

    /// <summary>
    /// Marks a critical extended-key-usage extension as handled: the purpose check above does it. Without this,
    /// BouncyCastle's path validator rejects certificates whose EKU is critical as an "unsupported critical extension".
    /// </summary>
    private sealed class ExtendedKeyUsageChecker : PkixCertPathChecker
    {
        public override void Init(bool forward)
        {
        }

        public override bool IsForwardCheckingSupported() => true;

        public override ISet<string> GetSupportedExtensions() => new HashSet<string> { X509Extensions.ExtendedKeyUsage.Id };

        public override void Check(X509Certificate cert, ISet<string> unresolvedCritExts)
            => unresolvedCritExts?.Remove(X509Extensions.ExtendedKeyUsage.Id);
    }
}
