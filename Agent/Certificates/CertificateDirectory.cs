using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// The certificates and keys of one policy, loaded and indexed once by <see cref="Load"/>: partner gateway
/// certificates by explicit domain mapping and by subjectAltName dNSName, personal certificates by rfc822Name and
/// the emailAddress DN attribute, organisation keys by name, sender keys by address. Per message there are only
/// dictionary lookups and (cached) validation. Immutable and thread-safe; a reload builds a new instance.
/// </summary>
internal sealed class CertificateDirectory : ICertificateDirectory
{
    private const int ReasonsInFailure = 3;

    private readonly IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> _personal;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> _gatewayByMapping;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> _gatewayByDnsName;
    private readonly IReadOnlyList<OrganizationKey> _organizationKeys;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<PrivateKeyEntry>> _senderKeys;
    private readonly IReadOnlyList<PartnerSettings> _partners;
    private readonly Dictionary<string, PartnerSettings> _partnersByDomain;
    private readonly CertificateValidator _validator;
    private readonly IAgentLog _log;

    internal CertificateDirectory(
        CertificateValidator validator,
        IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> personal,
        IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> gatewayByMapping,
        IReadOnlyDictionary<string, IReadOnlyList<CertificateCandidate>> gatewayByDnsName,
        IReadOnlyList<OrganizationKey> organizationKeys,
        IReadOnlyDictionary<string, IReadOnlyList<PrivateKeyEntry>> senderKeys,
        IReadOnlyList<PartnerSettings> partners,
        IAgentLog log)
    {
        _validator = validator;
        _personal = personal;
        _gatewayByMapping = gatewayByMapping;
        _gatewayByDnsName = gatewayByDnsName;
        _organizationKeys = organizationKeys;
        _senderKeys = senderKeys;
        _partners = partners.Where(p => p.Domain.StartsWith("*.", StringComparison.Ordinal)).ToList();
        _partnersByDomain = new Dictionary<string, PartnerSettings>(StringComparer.Ordinal);
        foreach (var partner in partners.Where(p => !p.Domain.StartsWith("*.", StringComparison.Ordinal)))
        {
            // The first declaration of a domain wins, as in the policy file.
            var key = CertificateNames.NormalizeDomain(partner.Domain);
            if (!_partnersByDomain.ContainsKey(key))
            {
                _partnersByDomain[key] = partner;
            }
        }
        _log = log;
        DecryptionKeys = organizationKeys.Where(k => k.Usage == OrganizationKeyUsage.Decryption).SelectMany(k => k.Entries)
            .Concat(senderKeys.Values.SelectMany(v => v))
            .Distinct()
            .ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<PrivateKeyEntry> DecryptionKeys { get; }

    /// <inheritdoc />
    public ICertificateValidator Validator => _validator;

    /// <summary>Every private key of this directory (organisation and sender keys), for releasing what was made from them.</summary>
    public IEnumerable<PrivateKeyEntry> PrivateKeys => _organizationKeys.SelectMany(k => k.Entries).Concat(_senderKeys.Values.SelectMany(v => v));

    /// <summary>
    /// Reads every configured source (paths relative to <paramref name="baseDirectory"/>, the policy's folder) and
    /// builds the directory. Never throws for bad files: problems come back as errors (fatal) and warnings.
    /// </summary>
    public static CertificateDirectoryLoadResult Load(CertificateSettings settings, string baseDirectory, IAgentLog log, CertificateLoadOptions? options = null)
        => new CertificateDirectoryLoader(Guard.NotNull(settings), Guard.NotNull(baseDirectory), Guard.NotNull(log), options ?? new CertificateLoadOptions()).Load();

    /// <inheritdoc />
    public EncryptionCertificateLookup FindEncryptionCertificate(
        string recipientAddress, EncryptionCertificateKind kind, CertificateTrust minimumTrust, DateTime nowUtc)
    {
        var address = CertificateNames.NormalizeAddress(Guard.NotNull(recipientAddress));
        var printable = CertificateNames.ToAscii(address);
        var problems = new List<string>();

        if (kind != EncryptionCertificateKind.Gateway)
        {
            var personal = _personal.TryGetValue(address, out var list) ? list : Array.Empty<CertificateCandidate>();
            var chosen = Choose(personal, minimumTrust, nowUtc, printable, problems);
            if (chosen is not null)
            {
                return EncryptionCertificateLookup.Success(chosen.Certificate, chosen.Trust, isGateway: false);
            }
        }

        if (kind != EncryptionCertificateKind.Personal)
        {
            var domain = CertificateNames.DomainOf(address);
            var chosen = Choose(GatewayCandidates(domain), minimumTrust, nowUtc, printable, problems);
            if (chosen is not null)
            {
                return EncryptionCertificateLookup.Success(chosen.Certificate, chosen.Trust, isGateway: true);
            }
        }

        if (problems.Count == 0)
        {
            var what = kind switch
            {
                EncryptionCertificateKind.Personal => "no personal certificate",
                EncryptionCertificateKind.Gateway => "no gateway certificate for domain " + CertificateNames.ToAscii(CertificateNames.DomainOf(address)),
                _ => "no certificate",
            };
            return EncryptionCertificateLookup.Failure($"{what} for {printable}");
        }

        return EncryptionCertificateLookup.Failure($"no usable certificate for {printable}: " + string.Join("; ", problems.Take(ReasonsInFailure)));
    }

    /// <inheritdoc />
    public SigningKeyLookup FindSigningKey(string senderAddress, SignerKind kind, string? organizationKeyName, DateTime nowUtc)
    {
        var address = CertificateNames.NormalizeAddress(Guard.NotNull(senderAddress));
        var problems = new List<string>();
        if (kind != SignerKind.Organization)
        {
            var own = _senderKeys.TryGetValue(address, out var entries) ? entries : Array.Empty<PrivateKeyEntry>();
            // Indexed by the addresses the certificates name (RFC 8550 §3), so the sender address matches by construction.
            var chosen = ChooseKey(own, nowUtc, problems);
            if (chosen is not null)
            {
                return SigningKeyLookup.Success(chosen);
            }

            if (kind == SignerKind.Sender)
            {
                return SigningKeyLookup.Failure(problems.Count == 0
                    ? $"no signing key for sender {CertificateNames.ToAscii(address)}"
                    : $"no usable signing key for sender {CertificateNames.ToAscii(address)}: " + string.Join("; ", problems.Take(ReasonsInFailure)));
            }
        }

        var signingKeys = _organizationKeys.Where(k => k.Usage == OrganizationKeyUsage.Signing).ToList();
        if (organizationKeyName is not null)
        {
            signingKeys = signingKeys.Where(k => string.Equals(k.Name, organizationKeyName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (signingKeys.Count == 0)
            {
                return SigningKeyLookup.Failure($"no organization signing key named {CertificateNames.ToAscii(organizationKeyName)}");
            }
        }
        else if (signingKeys.Count > 1)
        {
            return SigningKeyLookup.Failure("several organization signing keys are configured and the rule does not name one");
        }
        else if (signingKeys.Count == 0)
        {
            return SigningKeyLookup.Failure("no organization signing key is configured");
        }

        var organizationKey = ChooseKey(signingKeys[0].Entries, nowUtc, problems);
        return organizationKey is not null
            ? SigningKeyLookup.Success(organizationKey)
            : SigningKeyLookup.Failure($"no usable organization signing key {CertificateNames.ToAscii(signingKeys[0].Name)}: "
                + string.Join("; ", problems.Take(ReasonsInFailure)));
    }

    /// <inheritdoc />
    public PartnerSettings GetPartnerSettings(string recipientDomain)
    {
        var domain = CertificateNames.NormalizeDomain(Guard.NotNull(recipientDomain));
        if (_partnersByDomain.TryGetValue(domain, out var exact))
        {
            return exact;
        }

        var wildcard = _partners
            .Where(p => domain.EndsWith(CertificateNames.NormalizeDomain(p.Domain).Substring(1), StringComparison.Ordinal))
            .OrderByDescending(p => p.Domain.Length)
            .FirstOrDefault();
        return wildcard ?? new PartnerSettings { Domain = domain };
    }

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate> GetRecoveryCertificates(DateTime nowUtc)
    {
        var result = new List<X509Certificate>();
        foreach (var key in _organizationKeys.Where(k => k.Usage == OrganizationKeyUsage.Recovery))
        {
            foreach (var certificate in key.RecoveryCertificates)
            {
                var (validation, fromCache) = _validator.ValidateTracked(certificate, CertificatePurpose.Encryption, nowUtc, null);
                if (validation.IsValid)
                {
                    result.Add(certificate);
                }
                else if (!fromCache)
                {
                    _log.Write(EventIds.RecoveryCertificateUnusable, $"Recovery key {CertificateNames.ToAscii(key.Name)}: {validation.Detail}");
                }
            }
        }

        return result;
    }

    private IReadOnlyList<CertificateCandidate> GatewayCandidates(string domain)
    {
        if (domain.Length == 0)
        {
            return Array.Empty<CertificateCandidate>();
        }

        // An explicit Domains mapping overrides what certificates say about themselves.
        if (_gatewayByMapping.TryGetValue(domain, out var mapped))
        {
            return mapped;
        }

        foreach (var parent in ParentWildcards(domain))
        {
            if (_gatewayByMapping.TryGetValue(parent, out var wildcard))
            {
                return wildcard;
            }
        }

        if (_gatewayByDnsName.TryGetValue(domain, out var named))
        {
            return named;
        }

        // A dNSName wildcard matches exactly one label (RFC 6125 §6.4.3).
        var dot = domain.IndexOf('.');
        return dot > 0 && _gatewayByDnsName.TryGetValue(new System.Text.StringBuilder("*").Append(domain, dot, domain.Length - dot).ToString(), out var wild) ? wild : Array.Empty<CertificateCandidate>();
    }

    private static IEnumerable<string> ParentWildcards(string domain)
    {
        var rest = domain;
        int dot;
        while ((dot = rest.IndexOf('.')) > 0)
        {
            rest = rest.Substring(dot + 1);
            yield return "*." + rest;
        }
    }

    private CertificateCandidate? Choose(IReadOnlyList<CertificateCandidate> candidates, CertificateTrust minimumTrust, DateTime nowUtc, string address, List<string> problems)
    {
        CertificateCandidate? best = null;
        foreach (var candidate in candidates.OrderByDescending(c => c.Certificate.NotBefore).ThenByDescending(c => c.Certificate.NotAfter))
        {
            if (candidate.Trust < minimumTrust)
            {
                problems.Add($"certificate {CertificateNames.Describe(candidate.Certificate)} is only {candidate.Trust.ToString().ToLowerInvariant()}, the rule requires {minimumTrust.ToString().ToLowerInvariant()}");
                continue;
            }

            var (validation, fromCache) = _validator.ValidateTracked(candidate.Certificate, CertificatePurpose.Encryption, nowUtc, null);
            if (validation.IsValid)
            {
                // Candidates are ordered newest first: the first valid one wins.
                best = candidate;
                break;
            }

            problems.Add(validation.Detail);
            if (!fromCache)
            {
                _log.Write(EventIds.CertificateUnusable, $"Not encrypting to {address} with it: {validation.Detail}");
            }
        }

        return best;
    }

    private PrivateKeyEntry? ChooseKey(IEnumerable<PrivateKeyEntry> entries, DateTime nowUtc, List<string> problems)
    {
        foreach (var entry in entries.OrderByDescending(e => e.Certificate.NotBefore).ThenByDescending(e => e.Certificate.NotAfter))
        {
            var (validation, fromCache) = _validator.ValidateTracked(entry.Certificate, CertificatePurpose.Signing, nowUtc, null);
            if (validation.IsValid)
            {
                return entry;
            }

            problems.Add(validation.Detail);
            if (!fromCache)
            {
                _log.Write(EventIds.CertificateUnusable, $"Not signing with key {CertificateNames.ToAscii(entry.Name)}: {validation.Detail}");
            }
        }

        return null;
    }
}
