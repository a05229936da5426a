using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>
/// What Exchange loads is the net48 build. Its references to the Exchange assemblies must carry the real identity
/// (what a build against the 2013 CU23 assemblies references), and the stand-in must never ship beside it.
/// </summary>
public sealed class AssemblyIdentityTests
{
    private static readonly string AgentFolder = Path.Combine(RepoPaths.Root, "Agent", "bin", RepoPaths.Configuration, "net48");

    [Fact]
    public void Net48Agent_ReferencesExchangeWithTheRealIdentity()
    {
        var agent = Path.Combine(AgentFolder, "ExchangeEncryptionAgent.dll");
        Assert.True(File.Exists(agent), $"{agent} is missing: build the solution (dotnet build ExchangeEncryptionAgent.sln).");

        using var stream = File.OpenRead(agent);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var exchangeReferences = metadata.AssemblyReferences
            .Select(metadata.GetAssemblyReference)
            .Where(r => metadata.GetString(r.Name).StartsWith("Microsoft.Exchange.", StringComparison.Ordinal))
            .ToList();

        var transport = Assert.Single(exchangeReferences, r => metadata.GetString(r.Name) == "Microsoft.Exchange.Data.Transport");
        // EmailMessage.TnefPart is a Microsoft.Exchange.Data.Mime.MimePart, which lives in Common.
        Assert.Single(exchangeReferences, r => metadata.GetString(r.Name) == "Microsoft.Exchange.Data.Common");
        Assert.All(exchangeReferences, reference =>
        {
            Assert.Equal(new Version(15, 0, 1474, 0), reference.Version);
            Assert.True(reference.Culture.IsNil || metadata.GetString(reference.Culture).Length == 0, "culture must be neutral");
            var token = metadata.GetBlobBytes(reference.PublicKeyOrToken);
            Assert.Equal("31bf3856ad364e35", Convert.ToHexString(token).ToLowerInvariant());
        });
        Assert.Equal(".NETFramework,Version=v4.8", TargetFramework(metadata));
        Assert.NotEqual(default, transport);
    }

    [Fact]
    public void Net48AgentFolder_HoldsNoExchangeAssembly()
    {
        Assert.True(Directory.Exists(AgentFolder), $"{AgentFolder} is missing: build the solution.");

        var exchangeFiles = Directory.GetFiles(AgentFolder, "Microsoft.Exchange.*", SearchOption.AllDirectories);

        Assert.Empty(exchangeFiles);
    }

    [Fact]
    public void FactoryType_IsPublicSealedAndDerivesFromRoutingAgentFactory()
    {
        var factory = typeof(ExchangeEncryptionAgent.Exchange.EncryptionRoutingAgentFactory);

        Assert.Equal("ExchangeEncryptionAgent.Exchange.EncryptionRoutingAgentFactory", factory.FullName);
        Assert.True(factory.IsPublic && factory.IsSealed);
        Assert.Equal("Microsoft.Exchange.Data.Transport.Routing.RoutingAgentFactory", factory.BaseType!.FullName);
        Assert.NotNull(factory.GetConstructor(Type.EmptyTypes));
    }

    private static string? TargetFramework(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (metadata.GetString(type.Name) == "TargetFrameworkAttribute")
            {
                var value = metadata.GetBlobReader(attribute.Value);
                value.ReadUInt16();
                return value.ReadSerializedString();
            }
        }

        return null;
    }
}
