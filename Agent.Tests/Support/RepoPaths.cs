using System;
using System.IO;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    public static string TestData(params string[] parts) => Path.Combine(AppContext.BaseDirectory, "TestData", Path.Combine(parts));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExchangeEncryptionAgent.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ExchangeEncryptionAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
