using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>One demo PKI for every attack test (it costs several RSA keys); the tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityAttacks : ICollectionFixture<PipelineFixture>
{
    public const string Name = "Security attacks";
}

/// <summary>
/// What the attack tests share: hostile messages built with the real openssl next to the demo PKI, and independent
/// (openssl) readings of what the agent delivered.
/// </summary>
internal static class SecurityKit
{
    public const string Alice = "alice@contoso.example";

    /// <summary>Runs openssl in the fixture folder (certificate paths such as pki/bob.crt resolve there); it must succeed.</summary>
    public static ExternalTool.Result OpenSsl(PipelineFixture fixture, params string[] arguments)
    {
        var result = ExternalTool.OpenSsl(fixture.Directory, arguments);
        Assert.True(result.ExitCode == 0, "openssl " + string.Join(' ', arguments) + "\n" + result);
        return result;
    }

    /// <summary>Writes <paramref name="text"/> to a fresh file in the fixture folder and returns its name.</summary>
    public static string WriteFile(PipelineFixture fixture, string text, string extension = ".eml")
    {
        var name = "attack-" + Guid.NewGuid().ToString("N") + extension;
        File.WriteAllText(Path.Combine(fixture.Directory, name), text);
        return name;
    }

    /// <summary>Writes <paramref name="bytes"/> to a fresh file in the fixture folder and returns its name.</summary>
    public static string WriteFile(PipelineFixture fixture, byte[] bytes)
    {
        var name = "copy-" + Guid.NewGuid().ToString("N") + ".eml";
        File.WriteAllBytes(Path.Combine(fixture.Directory, name), bytes);
        return name;
    }

    /// <summary>openssl's MIME output with CRLF line ends, as a mail system carries it.</summary>
    public static string Crlf(string text) => TestMessages.Crlf(text.Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>Decrypts a delivered copy with openssl and a demo key (pki/NAME.crt and .key); fails when it is not for that key.</summary>
    public static string DecryptWithOpenSsl(PipelineFixture fixture, byte[] copy, string keyName)
    {
        var file = WriteFile(fixture, copy);
        return OpenSsl(fixture, "cms", "-decrypt", "-in", file, "-recip", $"pki/{keyName}.crt", "-inkey", $"pki/{keyName}.key").StandardOutput;
    }

    /// <summary>The top-level header block of a message.</summary>
    public static string Headers(string message)
    {
        var end = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    public static string Headers(byte[] message) => Headers(Encoding.ASCII.GetString(message));

    /// <summary>
    /// The engine alone, as the agent runs it once the host has handed a message over (PolicyProcessor, then each
    /// copy's transforms through the transform chain): for content the simulated host would not hand over at all.
    /// Returns the plan and, per copy, the delivered bytes (null for a deferred copy).
    /// </summary>
    public static (ProcessingPlan Plan, IReadOnlyList<(PlannedCopy Copy, byte[]? Bytes)> Copies, IReadOnlyList<string> Log) RunEngine(
        PipelineFixture fixture, string policyPath, string mime, MessageEnvelope envelope)
    {
        var logging = AgentLogging.CreateInMemory(out var memory);
        ProcessingPlan plan;
        var copies = new List<(PlannedCopy, byte[]?)>();
        try
        {
            var loaded = LoadedPolicy.Load(policyPath, logging.Log);
            Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
            var spool = Path.Combine(fixture.Directory, "engine-" + Guid.NewGuid().ToString("N"));
            using var runtime = AgentRuntimeFactory.CreateForPolicy(loaded.Value!, new AgentSettings(), logging.Log, spool);
            var bytes = Encoding.UTF8.GetBytes(mime);
            using var content = new MemoryStream(bytes, writable: false);
            plan = runtime.Processor.Plan(envelope, content, DateTime.UtcNow, CancellationToken.None);
            foreach (var copy in plan.Copies)
            {
                if (copy.DeferFor is not null)
                {
                    copies.Add((copy, null));
                    continue;
                }

                using var source = new MemoryStream(bytes, writable: false);
                using var result = runtime.Builder.Build(copy, source, CancellationToken.None);
                copies.Add((copy, result is null ? bytes : ReadAll(result)));
            }
        }
        finally
        {
            logging.Dispose();
        }

        return (plan, copies, memory.Logs.ToList());
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
