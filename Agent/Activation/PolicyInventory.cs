using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Activation;

/// <summary>
/// The installer's one call into the agent (install.ps1 loads the net48 DLL in Windows PowerShell 5.1): loads a policy
/// with the agent's own loader and certificate loading, and returns its errors, every file and folder it references
/// and its forced-TLS settings. The installer copies exactly these, so an activated policy finds its certificates;
/// it never reads the policy XML itself, so it cannot disagree with the agent about what a policy names.
/// </summary>
public static class PolicyInventory
{
    /// <summary>
    /// Reads <paramref name="policyPath"/>. Never throws for a bad file or a bad reference: those are
    /// <see cref="PolicyInventoryResult.Errors"/>. A policy whose XML does not load references nothing.
    /// </summary>
    public static PolicyInventoryResult Read(string policyPath)
    {
        if (string.IsNullOrWhiteSpace(policyPath))
        {
            return PolicyInventoryResult.Failed(policyPath ?? string.Empty, NoPathGiven());
        }

        var result = PolicyLoader.LoadFile(policyPath);
        if (result.Policy is not { } policy)
        {
            return PolicyInventoryResult.Failed(policyPath, result.Errors.Select(e => e.ToString()).ToArray());
        }

        var fullPath = Path.GetFullPath(policyPath);
        var baseDirectory = Path.GetDirectoryName(fullPath) ?? ".";
        var certificates = CertificateDirectory.Load(policy.Certificates, baseDirectory, Diagnostics.NullAgentLog.Instance);
        var errors = certificates.Errors.Select(e => $"{policyPath}:0:0: certificates: {e}").ToArray();

        var references = new References(baseDirectory);
        foreach (var source in Sources(policy.Certificates))
        {
            references.Add(source);
        }

        var harvesting = policy.Certificates.Harvesting;
        if (harvesting.Enabled && !string.IsNullOrWhiteSpace(harvesting.Folder))
        {
            references.AddFolder(harvesting.Folder!);
        }

        var forcedTls = policy.Settings.ForcedTls;
        var addressSpace = string.IsNullOrEmpty(forcedTls?.AddressSpace) ? null : forcedTls!.AddressSpace;
        var tlsDomain = addressSpace is null || string.IsNullOrEmpty(forcedTls!.TlsDomain) ? null : forcedTls.TlsDomain;
        return new PolicyInventoryResult(fullPath, errors, references.Files.ToArray(), references.Folders.ToArray(), references.Absolute.ToArray(), addressSpace, tlsDomain);
    }

    private static string[] NoPathGiven() => new[] { "(no file):0:0: no policy file path was given" };

    /// <summary>Every certificate source of the policy, in the order the certificate loader reads them.</summary>
    private static IEnumerable<CertificateSource> Sources(CertificateSettings settings)
        => settings.TrustAnchors
            .Concat(settings.Intermediates)
            .Concat(settings.Revocation.CrlSources)
            .Concat(settings.PartnerCertificates)
            .Concat(settings.OrganizationKeys.Select(k => k.Source))
            .Concat(settings.SenderKeys);

    /// <summary>Collects referenced paths, resolved as the certificate loader resolves them, each once.</summary>
    private sealed class References
    {
        private readonly string _baseDirectory;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public References(string baseDirectory)
        {
            _baseDirectory = baseDirectory;
        }

        public List<string> Files { get; } = new();

        public List<string> Folders { get; } = new();

        public List<string> Absolute { get; } = new();

        public void Add(CertificateSource source)
        {
            switch (source.Kind)
            {
                case CertificateSourceKind.Folder:
                    AddFolder(source.Path);
                    break;
                case CertificateSourceKind.File:
                    AddFile(source.Path);
                    AddFile(source.KeyFile);
                    AddFile(source.PfxFile);
                    break;
            }

            // A password file may belong to any source kind that reads keys.
            AddFile(source.PasswordFile);
        }

        public void AddFolder(string? path) => Add(path, Folders);

        private void AddFile(string? path) => Add(path, Files);

        private void Add(string? path, List<string> list)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return;
            }

            string full;
            try
            {
                full = Path.GetFullPath(Path.Combine(_baseDirectory, path));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                // The certificate loader has already reported this path as an error.
                return;
            }

            if (!_seen.Add(full))
            {
                return;
            }

            list.Add(full);
            if (Path.IsPathRooted(path))
            {
                Absolute.Add(full);
            }
        }
    }
}
