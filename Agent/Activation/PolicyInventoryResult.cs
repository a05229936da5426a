using System;

namespace ExchangeEncryptionAgent.Activation;

/// <summary>
/// What <see cref="PolicyInventory.Read"/> found: the policy's errors, the files and folders it references, and its
/// forced-TLS settings. Plain string arrays, strings and a bool only: Windows PowerShell 5.1 reads the net48 build
/// of this type by reflection, and it cannot use records, tuples or generic interfaces comfortably.
/// </summary>
public sealed class PolicyInventoryResult
{
    internal PolicyInventoryResult(string policyPath, string[] errors, string[] files, string[] folders, string[] absolutePaths, string[] writableFolders, string? forcedTlsAddressSpace, string? forcedTlsDomain)
    {
        PolicyPath = policyPath;
        Errors = errors;
        Files = files;
        Folders = folders;
        AbsolutePaths = absolutePaths;
        WritableFolders = writableFolders;
        ForcedTlsAddressSpace = forcedTlsAddressSpace;
        ForcedTlsDomain = forcedTlsDomain;
    }

    /// <summary>The policy file, as an absolute path (as given when it could not be made absolute).</summary>
    public string PolicyPath { get; }

    /// <summary>Every error, in <see cref="PolicyFileValidator.Validate"/>'s format; empty when the agent would load the policy.</summary>
    public string[] Errors { get; }

    /// <summary>True when <see cref="Errors"/> is empty.</summary>
    public bool IsValid => Errors.Length == 0;

    /// <summary>
    /// Absolute paths of every file the policy names (certificates, private keys, PKCS#12 files, password files, CRL
    /// files), each once, in policy order. Empty when the XML itself does not load.
    /// </summary>
    public string[] Files { get; }

    /// <summary>Absolute paths of every folder the policy names (certificate, CRL and key folders, the harvesting folder), each once.</summary>
    public string[] Folders { get; }

    /// <summary>
    /// The entries of <see cref="Files"/> and <see cref="Folders"/> that the policy names by an absolute path rather than
    /// relative to itself: they stay where they are when the policy is copied elsewhere.
    /// </summary>
    public string[] AbsolutePaths { get; }

    /// <summary>
    /// Absolute paths of the folders the agent writes to (the harvesting folder, when harvesting is on): the transport
    /// service account needs Modify there, not only Read. Each is also in <see cref="Folders"/>.
    /// </summary>
    public string[] WritableFolders { get; }

    /// <summary>The forced-TLS address space (Settings/ForcedTls/@AddressSpace); null when the policy has none.</summary>
    public string? ForcedTlsAddressSpace { get; }

    /// <summary>The TLS domain the forced-TLS connector validates (@TlsDomain); null when not given.</summary>
    public string? ForcedTlsDomain { get; }

    internal static PolicyInventoryResult Failed(string policyPath, string[] errors)
        => new(policyPath, errors, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), null, null);
}
