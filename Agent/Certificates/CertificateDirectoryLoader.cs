using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Indexes the certificates of <see cref="CertificateSettings"/> (read by <see cref="CertificateSourceReader"/>) by what they are for.</summary>
internal sealed class CertificateDirectoryLoader
{
    private readonly CertificateSettings _settings;
    private readonly IAgentLog _log;
    private readonly CertificateLoadOptions _options;
    private readonly CertificateSourceReader _reader;

    public CertificateDirectoryLoader(CertificateSettings settings, string baseDirectory, IAgentLog log, CertificateLoadOptions options)
    {
        _settings = settings;
        _log = log;
        _options = options;
        _reader = new CertificateSourceReader(baseDirectory, log);
    }

    public CertificateDirectoryLoadResult Load()
    {
        var now = _options.NowUtc ?? DateTime.UtcNow;
        var anchors = _settings.TrustAnchors.SelectMany(s => _reader.ReadCertificates(s, required: true)).ToList();
        var intermediates = _settings.Intermediates.SelectMany(s => _reader.ReadCertificates(s, required: true)).ToList();
        var crls = _settings.Revocation.CrlSources.SelectMany(_reader.ReadCrls).ToList();
        if (_settings.Revocation.OnlineFetch)
        {
            _log.Write(EventIds.OnlineCrlFetchNotSupported, "Revocation OnlineFetch=\"true\" is not supported; only the configured CRL files are used.");
            _reader.Warnings.Add("Revocation OnlineFetch is not supported; only the configured CRL files are used.");
        }

        // Partner certificates: leaves are encryption candidates; CA certificates in partner files only help to
        // build paths (they are never anchors).
        var partnerSources = _settings.PartnerCertificates.Select(s => (Source: s, Trust: CertificateTrust.Configured)).ToList();
        if (_settings.Harvesting.Enabled && !string.IsNullOrEmpty(_settings.Harvesting.Folder) && Directory.Exists(_reader.Resolve(_settings.Harvesting.Folder!)))
        {
            partnerSources.Add((new CertificateSource { Kind = CertificateSourceKind.Folder, Path = _settings.Harvesting.Folder, Location = "Harvesting" },
                CertificateTrust.Harvested));
        }

        var personal = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        var byMapping = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        var byDnsName = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        foreach (var (source, trust) in partnerSources)
        {
            foreach (var certificate in _reader.ReadCertificates(source, required: false))
            {
                if (IsCertificateAuthority(certificate))
                {
                    intermediates.Add(certificate);
                    continue;
                }

                var candidate = new CertificateCandidate(certificate, trust);
                if (source.Domains.Count > 0)
                {
                    foreach (var domain in source.Domains)
                    {
                        Add(byMapping, CertificateNames.NormalizeDomain(domain), candidate);
                    }

                    continue;
                }

                foreach (var name in CertificateNames.DnsNames(certificate))
                {
                    Add(byDnsName, name, candidate);
                }

                foreach (var address in CertificateNames.EmailAddresses(certificate))
                {
                    Add(personal, address, candidate);
                }
            }
        }

        var organizationKeys = new List<OrganizationKey>();
        foreach (var key in _settings.OrganizationKeys)
        {
            organizationKeys.Add(ReadOrganizationKey(key, intermediates));
        }

        var duplicates = _settings.OrganizationKeys.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates)
        {
            _reader.Error(null, $"organization key name '{duplicate.Key}' is used more than once");
        }

        var senderKeys = new Dictionary<string, List<PrivateKeyEntry>>(StringComparer.Ordinal);
        foreach (var source in _settings.SenderKeys)
        {
            foreach (var entry in ReadKeyEntries(source, null, intermediates))
            {
                foreach (var address in CertificateNames.EmailAddresses(entry.Certificate))
                {
                    if (!senderKeys.TryGetValue(address, out var list))
                    {
                        senderKeys[address] = list = new List<PrivateKeyEntry>();
                    }

                    list.Add(entry);
                }
            }
        }

        var chainPool = intermediates.Concat(anchors).ToList();
        CheckCrls(crls, chainPool, now);
        if (anchors.Count == 0)
        {
            _reader.Warnings.Add("No trust anchors are configured: no certificate can be validated, so nothing can be encrypted or signed.");
        }

        var validator = new CertificateValidator(anchors, intermediates.Distinct().ToList(), crls, _settings.Revocation, _options.ValidationCacheDuration);
        var directory = new CertificateDirectory(
            validator,
            Freeze(personal),
            Freeze(byMapping),
            Freeze(byDnsName),
            organizationKeys,
            senderKeys.ToDictionary(p => p.Key, p => (IReadOnlyList<PrivateKeyEntry>)p.Value, StringComparer.Ordinal),
            _settings.Partners,
            _log);

        _log.Write(EventIds.CertificatesLoaded,
            $"Certificates loaded: {anchors.Count} trust anchor(s), {intermediates.Count} intermediate(s), {crls.Count} CRL(s), "
            + $"{personal.Count} personal address(es), {byMapping.Count + byDnsName.Count} gateway domain(s), {organizationKeys.Count} organization key(s), "
            + $"{senderKeys.Count} sender address(es) with keys; {_reader.Errors.Count} error(s), {_reader.Warnings.Count} warning(s).");
        return new CertificateDirectoryLoadResult(directory, _reader.Errors.ToList(), _reader.Warnings.ToList());
    }

    private OrganizationKey ReadOrganizationKey(OrganizationKeySettings key, List<X509Certificate> intermediates)
    {
        if (key.Usage == OrganizationKeyUsage.Recovery)
        {
            // The recovery private key stays offline: only its certificate is needed (a key beside it is ignored).
            var certificates = _reader.ReadCertificates(key.Source, required: true);
            var leaves = certificates.Where(c => !IsCertificateAuthority(c)).ToList();
            intermediates.AddRange(certificates.Where(IsCertificateAuthority));
            if (leaves.Count == 0 && certificates.Count > 0)
            {
                _reader.Error(key.Source, $"recovery key '{key.Name}' has no end-entity certificate");
            }

            return new OrganizationKey(key.Name, key.Usage, Array.Empty<PrivateKeyEntry>(), leaves);
        }

        var entries = ReadKeyEntries(key.Source, key.Name, intermediates);
        if (entries.Count == 0 && !_reader.Errors.Any(e => e.StartsWith(CertificateSourceReader.Prefix(key.Source), StringComparison.Ordinal)))
        {
            _reader.Error(key.Source, $"organization key '{key.Name}' has no certificate with a matching private key");
        }

        return new OrganizationKey(key.Name, key.Usage, entries, Array.Empty<X509Certificate>());
    }

    /// <summary>Certificates with their private keys; unreadable configured files are errors, unreadable files of a folder warnings.</summary>
    private List<PrivateKeyEntry> ReadKeyEntries(CertificateSource source, string? name, List<X509Certificate> intermediates)
    {
        if (_reader.ReadKeyPairs(source) is not { } pairs)
        {
            return new List<PrivateKeyEntry>();
        }

        var entries = new List<PrivateKeyEntry>();
        foreach (var pair in pairs)
        {
            intermediates.AddRange(pair.OtherCertificates.Where(IsCertificateAuthority));
            if (pair.Certificates.Count == 0)
            {
                _reader.Warning(source, "a private key has no certificate with the same public key; it is ignored");
            }

            foreach (var certificate in pair.Certificates)
            {
                var chain = BuildChain(certificate, pair.OtherCertificates.Concat(intermediates).ToList());
                entries.Add(new PrivateKeyEntry(name ?? certificate.SubjectDN.ToString(), certificate, pair.PrivateKey, chain));
            }
        }

        return entries;
    }

    private void CheckCrls(List<X509Crl> crls, List<X509Certificate> issuers, DateTime now)
    {
        foreach (var crl in crls)
        {
            var issuer = issuers.FirstOrDefault(c => c.SubjectDN.Equivalent(crl.IssuerDN));
            var name = CertificateNames.ToAscii(crl.IssuerDN.ToString());
            if (issuer is null)
            {
                _reader.Warn(EventIds.CrlUnusable, $"The CRL of '{name}' was not issued by a configured CA; it is never used.");
            }
            else if (crl.NextUpdate is DateTime next && next.ToUniversalTime() < now)
            {
                _reader.Warn(EventIds.CrlUnusable, $"The CRL of '{name}' is out of date (next update was {next.ToUniversalTime():u}); revocation status of its certificates is unknown.");
            }
        }
    }

    private static List<X509Certificate> BuildChain(X509Certificate certificate, List<X509Certificate> pool)
    {
        // RFC 8550 §2.3: send the issuer chain; self-signed roots are left out (the recipient must already trust one).
        var chain = new List<X509Certificate>();
        var current = certificate;
        for (var depth = 0; depth < 8; depth++)
        {
            var issuer = pool.FirstOrDefault(c => c.SubjectDN.Equivalent(current.IssuerDN) && !c.Equals(current) && Verifies(current, c));
            if (issuer is null || issuer.SubjectDN.Equivalent(issuer.IssuerDN) || chain.Contains(issuer))
            {
                break;
            }

            chain.Add(issuer);
            current = issuer;
        }

        return chain;
    }

    private static bool Verifies(X509Certificate certificate, X509Certificate issuer)
    {
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (CertificateSourceReader.IsReadFailure(ex))
        {
            return false;
        }
    }

    private static bool IsCertificateAuthority(X509Certificate certificate) => certificate.GetBasicConstraints() >= 0;

    private static void Add(Dictionary<string, List<CertificateCandidate>> index, string key, CertificateCandidate candidate)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = new List<CertificateCandidate>();
        }

        if (!list.Any(c => c.Certificate.Equals(candidate.Certificate)))
        {
            list.Add(candidate);
        }
    }

    private static Dictionary<string, IReadOnlyList<CertificateCandidate>> Freeze(Dictionary<string, List<CertificateCandidate>> index)
        => index.ToDictionary(p => p.Key, p => (IReadOnlyList<CertificateCandidate>)p.Value.ToArray(), StringComparer.Ordinal);
}
