using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// The fixed policy and test PKI every target runs against (fuzz/fixtures), copied to a private temporary folder:
/// git does not keep the 0600 mode that key files need, and the gateway spools beside it. One per process.
/// </summary>
public sealed class FuzzFixture : IDisposable
{
    private FuzzFixture(string directory, LoadedPolicy policy)
    {
        Directory = directory;
        Policy = policy;
    }

    /// <summary>
    /// The clock of every input: inside the fixture certificates' validity (2026-11-30 to 2027-12-01), and fixed, so
    /// a corpus file takes the same path on every run.
    /// </summary>
    public static readonly DateTime ReceivedUtc = new(2027, 1, 15, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The private copy (policy.xml, pki/, spool/).</summary>
    public string Directory { get; }

    /// <summary>The loaded policy with its certificates and keys.</summary>
    public LoadedPolicy Policy { get; }

    /// <summary>Where spool files go; the targets check it is empty after each input.</summary>
    public string SpoolDirectory => Path.Combine(Directory, "spool");

    /// <summary>The fixtures shipped beside the executable (EEA_FUZZ_FIXTURES overrides).</summary>
    public static string DefaultSource
        => Environment.GetEnvironmentVariable("EEA_FUZZ_FIXTURES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "fuzz-fixtures");

    /// <summary>Copies <paramref name="source"/> and loads its policy; throws when the fixture itself is broken.</summary>
    public static FuzzFixture Create(string source)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("eea-fuzz-").FullName;
        foreach (var file in System.IO.Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows() && target.EndsWith(".key", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        System.IO.Directory.CreateDirectory(Path.Combine(directory, "spool"));
        var loaded = LoadedPolicy.Load(Path.Combine(directory, "policy.xml"), NullAgentLog.Instance);
        if (loaded.Value is null)
        {
            throw new InvalidOperationException("The fuzz fixture policy does not load: " + string.Join("; ", loaded.Errors));
        }

        return new FuzzFixture(directory, loaded.Value);
    }

    /// <summary>True while a spool file exists.</summary>
    public bool SpoolHasFiles() => System.IO.Directory.EnumerateFiles(SpoolDirectory, "*", SearchOption.AllDirectories).Any();

    /// <summary>Throws a finding when a spool file outlived the input that made it.</summary>
    public void EnsureSpoolEmpty()
    {
        var left = System.IO.Directory.GetFiles(SpoolDirectory, "*", SearchOption.AllDirectories);
        if (left.Length > 0)
        {
            foreach (var file in left)
            {
                File.Delete(file);
            }

            throw new FuzzFindingException($"{left.Length} spool file(s) left behind: {string.Join(", ", left.Select(Path.GetFileName))}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A gateway session still closing its spool file: the temporary folder is the OS's to clean.
        }
    }
}
