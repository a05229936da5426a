using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

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
        var certificates = CertificateDirectory.Load(policy.Certificates, policy.BaseDirectory, Diagnostics.NullAgentLog.Instance);
        var errors = certificates.Errors.Select(e => $"{policyPath}:0:0: certificates: {e}").ToList();

        // The same list the certificate loader resolved its paths with (PolicyFileReferences.Resolve): the installer
        // copies exactly what the agent will read.
        PolicyFileReferences references;
        try
        {
            references = policy.References;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add($"{policyPath}:0:0: certificates: a path the policy names is not a valid path ({ex.Message})");
            return PolicyInventoryResult.Failed(policyPath, errors.ToArray());
        }

        var forcedTls = policy.Settings.ForcedTls;
        var addressSpace = string.IsNullOrEmpty(forcedTls?.AddressSpace) ? null : forcedTls!.AddressSpace;
        var tlsDomain = addressSpace is null || string.IsNullOrEmpty(forcedTls!.TlsDomain) ? null : forcedTls.TlsDomain;
        return new PolicyInventoryResult(
            fullPath,
            errors.ToArray(),
            references.Files.ToArray(),
            references.Folders.ToArray(),
            references.WrittenAbsolute.ToArray(),
            WritableFolders(policy),
            addressSpace,
            tlsDomain);
    }

    // The agent writes harvested certificates (CertificateHarvester); nothing else the policy names is written.
    private static string[] WritableFolders(PolicySet policy)
        => policy.Certificates.Harvesting is { Enabled: true, Folder: { Length: > 0 } folder }
            ? new[] { PolicyFileReferences.Resolve(policy.BaseDirectory, folder) }
            : Array.Empty<string>();

    private static string[] NoPathGiven() => new[] { "(no file):0:0: no policy file path was given" };
}
