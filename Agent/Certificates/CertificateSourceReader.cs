using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// Reads the files, folders and stores of certificate sources (paths relative to the policy's folder) and collects
/// what goes wrong as errors and warnings, each logged once. <see cref="CertificateDirectoryLoader"/> decides what
/// the certificates are for; this class only reads them.
/// </summary>
internal sealed class CertificateSourceReader
{
    private static readonly string[] KeyFolderExtensions = CertificateFiles.Pkcs12Extensions.Concat(new[] { ".pem" }).ToArray();

    private readonly string _baseDirectory;
    private readonly IAgentLog _log;

    public CertificateSourceReader(string baseDirectory, IAgentLog log)
    {
        _baseDirectory = baseDirectory;
        _log = log;
    }

    /// <summary>Fatal problems: the policy must not be activated.</summary>
    public List<string> Errors { get; } = new();

    /// <summary>Problems the directory works around (a bad file in a folder, an unusable CRL).</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>The private keys of a source with the certificates beside them; null (after an error) when unreadable.</summary>
    public List<KeyWithCertificates>? ReadKeyPairs(CertificateSource source)
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
            return null;
        }

        return pairs;
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

    /// <summary>The certificates of a source; a failure is an error when <paramref name="required"/>, else a warning.</summary>
    public List<X509Certificate> ReadCertificates(CertificateSource source, bool required)
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
            if (required)
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

    /// <summary>The CRLs of a source; a failure is an error.</summary>
    public List<X509Crl> ReadCrls(CertificateSource source)
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

    public string Resolve(string path) => PolicyFileReferences.Resolve(_baseDirectory, path);

    /// <summary>Failures of reading or parsing a file; programming errors and fatal runtime conditions pass through.</summary>
    public static bool IsReadFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException or NullReferenceException);

    public static string Prefix(CertificateSource? source) => source is null ? string.Empty : (source.Location.Length > 0 ? source.Location + ": " : string.Empty);

    public void Error(CertificateSource? source, string message)
    {
        var text = Prefix(source) + CertificateNames.ToAscii(message);
        Errors.Add(text);
        _log.Write(EventIds.CertificateSourceFailed, text);
    }

    public void Warning(CertificateSource source, string message)
    {
        var text = Prefix(source) + CertificateNames.ToAscii(message);
        Warnings.Add(text);
        _log.Write(EventIds.CertificateSourceSkipped, text);
    }

    public void Warn(AgentEvent agentEvent, string message)
    {
        Warnings.Add(message);
        _log.Write(agentEvent, message);
    }
}
