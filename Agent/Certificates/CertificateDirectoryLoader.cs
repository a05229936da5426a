using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Reads the sources of <see cref="CertificateSettings"/> and indexes them; collects errors and warnings.</summary>
internal sealed class CertificateDirectoryLoader
{
    private static readonly string[] KeyFolderExtensions = CertificateFiles.Pkcs12Extensions.Concat(new[] { ".pem" }).ToArray();

    private readonly CertificateSettings _settings;
    private readonly string _baseDirectory;
    private readonly IAgentLog _log;
    private readonly CertificateLoadOptions _options;
    private readonly List<string> _errors = new();
    private readonly List<string> _warnings = new();

    public CertificateDirectoryLoader(CertificateSettings settings, string baseDirectory, IAgentLog log, CertificateLoadOptions options)
    {
        _settings = settings;
        _baseDirectory = baseDirectory;
        _log = log;
        _options = options;
    }

    private enum Severity
    {
        Error,
        Warning,
    }

    public CertificateDirectoryLoadResult Load()
    {
        var now = _options.NowUtc ?? DateTime.UtcNow;
        var anchors = _settings.TrustAnchors.SelectMany(s => ReadCertificates(s, Severity.Error)).ToList();
        var intermediates = _settings.Intermediates.SelectMany(s => ReadCertificates(s, Severity.Error)).ToList();
        var crls = _settings.Revocation.CrlSources.SelectMany(ReadCrls).ToList();
        if (_settings.Revocation.OnlineFetch)
        {
            _log.Write(EventIds.OnlineCrlFetchNotSupported, "Revocation OnlineFetch=\"true\" is not supported; only the configured CRL files are used.");
            _warnings.Add("Revocation OnlineFetch is not supported; only the configured CRL files are used.");
        }

        // Partner certificates: leaves are encryption candidates; CA certificates in partner files only help to
        // build paths (they are never anchors).
        var partnerSources = _settings.PartnerCertificates.Select(s => (Source: s, Trust: CertificateTrust.Configured)).ToList();
        if (_settings.Harvesting.Enabled && !string.IsNullOrEmpty(_settings.Harvesting.Folder) && Directory.Exists(Resolve(_settings.Harvesting.Folder!)))
        {
            partnerSources.Add((new CertificateSource { Kind = CertificateSourceKind.Folder, Path = _settings.Harvesting.Folder, Location = "Harvesting" },
                CertificateTrust.Harvested));
        }

        var personal = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        var byMapping = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        var byDnsName = new Dictionary<string, List<CertificateCandidate>>(StringComparer.Ordinal);
        foreach (var (source, trust) in partnerSources)
        {
            foreach (var certificate in ReadCertificates(source, Severity.Warning))
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
            Error(null, $"organization key name '{duplicate.Key}' is used more than once");
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
            _warnings.Add("No trust anchors are configured: no certificate can be validated, so nothing can be encrypted or signed.");
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
            + $"{senderKeys.Count} sender address(es) with keys; {_errors.Count} error(s), {_warnings.Count} warning(s).");
        return new CertificateDirectoryLoadResult(directory, _errors.ToList(), _warnings.ToList());
    }

    private OrganizationKey ReadOrganizationKey(OrganizationKeySettings key, List<X509Certificate> intermediates)
    {
        if (key.Usage == OrganizationKeyUsage.Recovery)
        {
            // The recovery private key stays offline: only its certificate is needed (a key beside it is ignored).
            var certificates = ReadCertificates(key.Source, Severity.Error);
            var leaves = certificates.Where(c => !IsCertificateAuthority(c)).ToList();
            intermediates.AddRange(certificates.Where(IsCertificateAuthority));
            if (leaves.Count == 0 && certificates.Count > 0)
            {
                Error(key.Source, $"recovery key '{key.Name}' has no end-entity certificate");
            }

            return new OrganizationKey(key.Name, key.Usage, Array.Empty<PrivateKeyEntry>(), leaves);
        }

        var entries = ReadKeyEntries(key.Source, key.Name, intermediates);
        if (entries.Count == 0 && !_errors.Any(e => e.StartsWith(Prefix(key.Source), StringComparison.Ordinal)))
        {
            Error(key.Source, $"organization key '{key.Name}' has no certificate with a matching private key");
        }

        return new OrganizationKey(key.Name, key.Usage, entries, Array.Empty<X509Certificate>());
    }

    /// <summary>Certificates with their private keys; unreadable configured files are errors, unreadable files of a folder warnings.</summary>
    private List<PrivateKeyEntry> ReadKeyEntries(CertificateSource source, string? name, List<X509Certificate> intermediates)
    {
        var pairs = new List<KeyWithCertificates>();
        try
        {
            var password = source.PasswordFile is { Length: > 0 } passwordFile ? CertificateFiles.ReadPassword(Resolve(passwordFile)) : null;
            switch (source.Kind)
            {
                case CertificateSourceKind.WindowsStore:
                    pairs.AddRange(WindowsCertificateStore.ReadKeys(source));
                    break;
                case CertificateSourceKind.Folder:
                    foreach (var file in FilesOf(source, KeyFolderExtensions))
                    {
                        try
                        {
                            pairs.AddRange(ReadKeyFile(file, null, password));
                        }
                        catch (Exception ex) when (IsReadFailure(ex))
                        {
                            Warning(source, $"{file}: {ex.Message}");
                        }
                    }

                    break;
                default:
                    var certificatePath = source.PfxFile ?? source.Path ?? throw new InvalidDataException("no Path or PfxFile is given");
                    pairs.AddRange(ReadKeyFile(Resolve(certificatePath), source.KeyFile is null ? null : Resolve(source.KeyFile), password));
                    break;
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            Error(source, ex.Message);
            return new List<PrivateKeyEntry>();
        }

        var entries = new List<PrivateKeyEntry>();
        foreach (var pair in pairs)
        {
            intermediates.AddRange(pair.OtherCertificates.Where(IsCertificateAuthority));
            if (pair.Certificates.Count == 0)
            {
                Warning(source, "a private key has no certificate with the same public key; it is ignored");
            }

            foreach (var certificate in pair.Certificates)
            {
                var chain = BuildChain(certificate, pair.OtherCertificates.Concat(intermediates).ToList());
                entries.Add(new PrivateKeyEntry(name ?? certificate.SubjectDN.ToString(), certificate, pair.PrivateKey, chain));
            }
        }

        return entries;
    }

    private static IReadOnlyList<KeyWithCertificates> ReadKeyFile(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (keyPath is null && CertificateFiles.Pkcs12Extensions.Contains(extension))
        {
            return CertificateFiles.ReadPkcs12(path, password ?? string.Empty);
        }

        if (keyPath is null)
        {
            // One PEM file holding key and certificates.
            var objects = CertificateFiles.ReadPem(path, password);
            var keys = objects.Select(o => o switch
            {
                Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair pair => pair.Private,
                Org.BouncyCastle.Crypto.AsymmetricKeyParameter { IsPrivate: true } key => key,
                _ => null,
            }).Where(k => k is not null).Select(k => k!).ToList();
            if (keys.Count == 0)
            {
                throw new InvalidDataException($"{path}: no private key (give KeyFile or PfxFile)");
            }

            return CertificateFiles.PairByPublicKey(keys, objects.OfType<X509Certificate>().ToList());
        }

        var certificates = CertificateFiles.ReadCertificates(path);
        var privateKey = CertificateFiles.ReadPrivateKey(keyPath, password);
        return CertificateFiles.PairByPublicKey(new[] { privateKey }, certificates);
    }

    private List<X509Certificate> ReadCertificates(CertificateSource source, Severity severity)
    {
        var result = new List<X509Certificate>();
        try
        {
            switch (source.Kind)
            {
                case CertificateSourceKind.WindowsStore:
                    result.AddRange(WindowsCertificateStore.ReadCertificates(source));
                    break;
                case CertificateSourceKind.Folder:
                    foreach (var file in FilesOf(source, CertificateFiles.CertificateExtensions))
                    {
                        try
                        {
                            result.AddRange(CertificateFiles.ReadCertificates(file));
                        }
                        catch (Exception ex) when (IsReadFailure(ex))
                        {
                            // One bad file in a folder never blocks the others.
                            Warning(source, $"{file}: {ex.Message}");
                        }
                    }

                    break;
                default:
                    if (source.PfxFile is { Length: > 0 } pfx)
                    {
                        var password = source.PasswordFile is { Length: > 0 } passwordFile ? CertificateFiles.ReadPassword(Resolve(passwordFile)) : string.Empty;
                        result.AddRange(CertificateFiles.ReadPkcs12(Resolve(pfx), password).SelectMany(p => p.Certificates.Concat(p.OtherCertificates)).Distinct());
                    }
                    else
                    {
                        result.AddRange(CertificateFiles.ReadCertificates(Resolve(source.Path ?? throw new InvalidDataException("no Path is given"))));
                    }

                    break;
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            if (severity == Severity.Error)
            {
                Error(source, ex.Message);
            }
            else
            {
                Warning(source, ex.Message);
            }
        }

        return result;
    }

    private List<X509Crl> ReadCrls(CertificateSource source)
    {
        var result = new List<X509Crl>();
        try
        {
            if (source.Kind == CertificateSourceKind.Folder)
            {
                foreach (var file in FilesOf(source, CertificateFiles.CrlExtensions))
                {
                    result.AddRange(CertificateFiles.ReadCrls(file));
                }
            }
            else
            {
                result.AddRange(CertificateFiles.ReadCrls(Resolve(source.Path ?? throw new InvalidDataException("no Path is given"))));
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            // A CRL the administrator configured but we cannot read would silently make revocation "unknown".
            Error(source, ex.Message);
        }

        return result;
    }

    private void CheckCrls(List<X509Crl> crls, List<X509Certificate> issuers, DateTime now)
    {
        foreach (var crl in crls)
        {
            var issuer = issuers.FirstOrDefault(c => c.SubjectDN.Equivalent(crl.IssuerDN));
            var name = CertificateNames.ToAscii(crl.IssuerDN.ToString());
            if (issuer is null)
            {
                Warn(EventIds.CrlUnusable, $"The CRL of '{name}' was not issued by a configured CA; it is never used.");
            }
            else if (crl.NextUpdate is DateTime next && next.ToUniversalTime() < now)
            {
                Warn(EventIds.CrlUnusable, $"The CRL of '{name}' is out of date (next update was {next.ToUniversalTime():u}); revocation status of its certificates is unknown.");
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
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return false;
        }
    }

    private List<string> FilesOf(CertificateSource source, IEnumerable<string> extensions)
    {
        var folder = Resolve(source.Path ?? throw new InvalidDataException("no Path is given"));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"folder {folder} does not exist");
        }

        var wanted = new HashSet<string>(extensions, StringComparer.OrdinalIgnoreCase);
        return Directory.EnumerateFiles(folder).Where(f => wanted.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    private string Resolve(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

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

    /// <summary>Failures of reading or parsing a file; programming errors and fatal runtime conditions pass through.</summary>
    private static bool IsReadFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException or NullReferenceException);

    private static string Prefix(CertificateSource? source) => source is null ? string.Empty : (source.Location.Length > 0 ? source.Location + ": " : string.Empty);

    private void Error(CertificateSource? source, string message)
    {
        var text = Prefix(source) + CertificateNames.ToAscii(message);
        _errors.Add(text);
        _log.Write(EventIds.CertificateSourceFailed, text);
    }

    private void Warning(CertificateSource source, string message)
    {
        var text = Prefix(source) + CertificateNames.ToAscii(message);
        _warnings.Add(text);
        _log.Write(EventIds.CertificateSourceSkipped, text);
    }

    private void Warn(AgentEvent agentEvent, string message)
    {
        _warnings.Add(message);
        _log.Write(agentEvent, message);
    }
}
