using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using ExchangeEncryptionAgent.Tool;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>`eea gateway` from outside: refuses at once (non-zero, a clear message) what it cannot run.</summary>
public sealed class GatewayCommandTests
{
    [Fact]
    public void InvalidPolicy_ExitsWithOneAtOnce_NamingTheErrors()
    {
        var policy = RepoPaths.TestData("policies", "invalid-duplicate-names-and-unknown-element.xml");
        using var gateway = GatewayProcess.Launch("--policy", policy, "--listen", "127.0.0.1:1", "--reinject", "127.0.0.1:2");

        Assert.Equal(1, gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains(gateway.Lines, l => l.StartsWith("stderr: eea gateway: the policy", StringComparison.Ordinal) && l.Contains("does not load", StringComparison.Ordinal));
        Assert.Contains(gateway.Lines, l => l.StartsWith("stderr: ", StringComparison.Ordinal) && l.Contains(Path.GetFileName(policy), StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Lines, l => l.Contains("GatewayStarted", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1:10025")]
    [InlineData("--listen", "localhost:10025", "--reinject", "127.0.0.1:10026")]
    [InlineData("--listen", "127.0.0.1:10025", "--reinject", "127.0.0.1:99999")]
    [InlineData("--listen", "127.0.0.1:10025", "--reinject", "127.0.0.1:10026", "--reinject-tls", "10027")]
    public void BadUsage_ExitsWithTwo(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var args = new[] { "gateway", "--policy", "policy.xml" };

        var exit = Program.Run([.. args, .. arguments], stdout, stderr);

        Assert.Equal(Program.ExitUsage, exit);
        Assert.Contains("usage: eea gateway", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PortInUse_ExitsWithOne()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var directory = System.IO.Directory.CreateTempSubdirectory("eea-gw-cmd-").FullName;
        try
        {
            ExchangeEncryptionAgent.Tool.Demo.DemoPki.Create(Path.Combine(directory, "pki"));
            var policy = Path.Combine(directory, "policy.xml");
            File.Copy(Path.Combine(RepoPaths.Root, "Tool", "Demo", "demo-policy.xml"), policy);
            using var gateway = GatewayProcess.Launch("--policy", policy, "--listen", $"127.0.0.1:{port}", "--reinject", "127.0.0.1:2", "--spool", Path.Combine(directory, "spool"));

            Assert.Equal(1, gateway.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains(gateway.Lines, l => l.StartsWith("stderr: eea gateway: cannot listen", StringComparison.Ordinal));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
