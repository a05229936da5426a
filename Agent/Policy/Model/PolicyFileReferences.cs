using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// Every file and folder a policy names, as absolute paths, in the order the policy names them and without
/// duplicates: certificate, key, PFX, password and CRL files, certificate folders, the harvesting folder. Plain data
/// for whoever moves a policy with its files (the installer); the certificate loader resolves paths with
/// <see cref="Resolve"/>, so both agree on where a relative path points. Windows stores are no files and not listed.
/// </summary>
internal sealed class PolicyFileReferences
{
    private PolicyFileReferences(IReadOnlyList<string> files, IReadOnlyList<string> folders, IReadOnlyList<string> writtenAbsolute)
    {
        Files = files;
        Folders = folders;
        WrittenAbsolute = writtenAbsolute;
    }

    /// <summary>Absolute paths of the files the policy names.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Absolute paths of the folders the policy names (their contents are read at load).</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// The files and folders the policy names by an absolute path: they stay where they are when the policy moves
    /// (the installer grants access to them instead of copying them).
    /// </summary>
    public IReadOnlyList<string> WrittenAbsolute { get; }

    /// <summary>
    /// Where <paramref name="path"/> (as written in the policy) points: relative paths are relative to the policy
    /// file's folder <paramref name="baseDirectory"/>, never to the process's current directory.
    /// </summary>
    public static string Resolve(string baseDirectory, string path)
        => Path.GetFullPath(Path.Combine(Guard.NotNull(baseDirectory), Guard.NotNull(path)));

    /// <summary>The references of <paramref name="certificates"/>, resolved against <paramref name="baseDirectory"/>.</summary>
    public static PolicyFileReferences Of(CertificateSettings certificates, string baseDirectory)
    {
        Guard.NotNull(certificates);
        Guard.NotNull(baseDirectory);
        var files = new List<string>();
        var folders = new List<string>();
        var writtenAbsolute = new List<string>();
        var sources = certificates.TrustAnchors
            .Concat(certificates.Intermediates)
            .Concat(certificates.Revocation.CrlSources)
            .Concat(certificates.PartnerCertificates)
            .Concat(certificates.OrganizationKeys.Select(k => k.Source))
            .Concat(certificates.SenderKeys);
        foreach (var source in sources)
        {
            var target = source.Kind switch
            {
                CertificateSourceKind.File => files,
                CertificateSourceKind.Folder => folders,
                _ => null,
            };
            if (target is null)
            {
                continue;
            }

            Add(target, source.Path);
            Add(files, source.KeyFile);
            Add(files, source.PfxFile);
            Add(files, source.PasswordFile);
        }

        if (certificates.Harvesting.Enabled)
        {
            Add(folders, certificates.Harvesting.Folder);
        }

        return new PolicyFileReferences(
            files.Distinct(PathComparer).ToList(),
            folders.Distinct(PathComparer).ToList(),
            writtenAbsolute.Distinct(PathComparer).ToList());

        void Add(List<string> list, string? path)
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                var resolved = Resolve(baseDirectory, path!);
                list.Add(resolved);
                if (Path.IsPathRooted(path))
                {
                    writtenAbsolute.Add(resolved);
                }
            }
        }
    }

    // Windows (where the agent runs) compares paths without case; elsewhere two spellings are two files.
    private static StringComparer PathComparer
        => Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
