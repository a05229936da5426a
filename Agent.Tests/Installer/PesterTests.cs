using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Installer;

/// <summary>
/// Runs the installer's Pester tests (Installer/Tests) under PowerShell 7 so that <c>dotnet test</c> covers
/// install.ps1 and its module too. pwsh and Pester are required: a machine without them fails here with the commands
/// that install them, never skips.
/// </summary>
public sealed class PesterTests
{
    /// <summary>
    /// Fewer executed tests than this means tests were lost (a file no longer discovered, a Describe that failed
    /// in discovery), which must not pass as green. Raise it when adding tests.
    /// </summary>
    private const int MinimumExecutedTests = 400;

    private const string PesterVersion = "6.2.0";
    private const string PwshVersion = "7.6.9";
    // Generous: on a loaded shared build machine the suite (about 420 tests, each with its own fake organisation, the
    // example policies installed with openssl-made certificates) has taken close to 30 minutes; a hang still ends here.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(45);

    [Fact]
    public void InstallerPesterSuite_RunsAndPasses()
    {
        var pwsh = FindPwsh();
        var pester = FindPester();
        var resultPath = Path.Combine(Path.GetTempPath(), $"eea-pester-{Guid.NewGuid():N}.xml");
        try
        {
            var run = RunPester(pwsh, pester, resultPath);
            Assert.True(File.Exists(resultPath), $"Pester wrote no result file (exit code {run.ExitCode}).{Environment.NewLine}{run.Output}");

            var summary = PesterSummary.Read(resultPath);
            Assert.True(summary.Failed.Count == 0, $"Pester tests failed:{Environment.NewLine}{string.Join(Environment.NewLine, summary.Failed)}{Environment.NewLine}{Tail(run.Output)}");
            Assert.True(summary.NotExecuted.Count == 0, $"Pester tests did not run (skipped or inconclusive):{Environment.NewLine}{string.Join(Environment.NewLine, summary.NotExecuted)}");
            Assert.True(summary.Passed >= MinimumExecutedTests, $"Only {summary.Passed} Pester tests ran and passed; at least {MinimumExecutedTests} are expected.{Environment.NewLine}{Tail(run.Output)}");
            Assert.True(run.ExitCode == 0, $"pwsh exited with {run.ExitCode}.{Environment.NewLine}{Tail(run.Output)}");
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    /// <summary>EEA_PWSH, then PATH, then the dotnet global tools folder, then the repository's .tools folder.</summary>
    private static string FindPwsh()
    {
        var fileName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "pwsh.exe" : "pwsh";
        var configured = Environment.GetEnvironmentVariable("EEA_PWSH");
        if (!string.IsNullOrEmpty(configured))
        {
            Assert.True(File.Exists(configured), $"EEA_PWSH points to '{configured}', which does not exist.");
            return configured;
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, fileName))
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", fileName))
            .Append(Path.Combine(RepoPaths.Root, ".tools", fileName));
        var found = candidates.FirstOrDefault(File.Exists);
        Assert.True(
            found is not null,
            $"pwsh (PowerShell {PwshVersion}) was not found in EEA_PWSH, PATH, ~/.dotnet/tools or {Path.Combine(RepoPaths.Root, ".tools")}. " +
            $"Install it with: dotnet tool install --tool-path {Path.Combine(RepoPaths.Root, ".tools")} PowerShell --version {PwshVersion}");
        return found!;
    }

    /// <summary>Pester from the NuGet package cache, where the test project's PackageDownload restores it.</summary>
    private static string FindPester()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var package = Path.Combine(cache, "pester", PesterVersion);
        var manifest = new[] { Path.Combine(package, "Pester.psd1"), Path.Combine(package, "tools", "Pester.psd1") }.FirstOrDefault(File.Exists);
        Assert.True(
            manifest is not null,
            $"Pester {PesterVersion} was not found in {package}. It is restored by <PackageDownload Include=\"Pester\" Version=\"[{PesterVersion}]\" /> " +
            "in Agent.Tests/ExchangeEncryptionAgent.Tests.csproj: run dotnet restore.");
        return manifest!;
    }

    private static ProcessResult RunPester(string pwsh, string pester, string resultPath)
    {
        var start = new ProcessStartInfo(pwsh)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in new[]
        {
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepoPaths.Root, "Installer", "Tests", "Invoke-InstallerTests.ps1"),
            "-PesterPath", pester, "-ResultPath", resultPath, "-Configuration", RepoPaths.Configuration,
        })
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry or update check from a test run (and no network to reach anyway).
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {pwsh}.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The Pester run did not finish within {Timeout.TotalMinutes} minutes.{Environment.NewLine}{Tail(output.ToString())}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new ProcessResult(process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(string output, int lines = 80)
    {
        var all = output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private sealed record ProcessResult(int ExitCode, string Output);

    /// <summary>The NUnit 2.5 XML Pester writes: every test-case with whether it ran and how it ended.</summary>
    private sealed record PesterSummary(int Passed, IReadOnlyList<string> Failed, IReadOnlyList<string> NotExecuted)
    {
        public static PesterSummary Read(string path)
        {
            var cases = XDocument.Load(path).Descendants("test-case").ToList();
            Assert.True(cases.Count > 0, $"{path} lists no test case.");
            var passed = cases.Count(c => Executed(c) && Result(c) == "Success");
            var failed = cases
                .Where(c => Executed(c) && Result(c) != "Success")
                .Select(c => $"{(string?)c.Attribute("name")}: {c.Element("failure")?.Element("message")?.Value.Trim()}")
                .ToList();
            var notExecuted = cases.Where(c => !Executed(c)).Select(c => $"{(string?)c.Attribute("name")} ({Result(c)})").ToList();
            return new PesterSummary(passed, failed, notExecuted);
        }

        private static bool Executed(XElement testCase)
            => string.Equals((string?)testCase.Attribute("executed"), "True", StringComparison.OrdinalIgnoreCase);

        private static string Result(XElement testCase)
            => (string?)testCase.Attribute("result") ?? string.Empty;
    }
}
