using System;
using System.IO;
using System.Xml;
using System.Xml.Schema;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>The policy XML schema, embedded in the agent assembly (the same bytes as Policies/policy.xsd).</summary>
internal static class PolicySchema
{
    /// <summary>The target namespace of version 1 of the policy language.</summary>
    public const string Namespace = "urn:exchange-encryption-agent:policy:v1";

    /// <summary>The manifest resource name of the embedded schema.</summary>
    public const string ResourceName = "ExchangeEncryptionAgent.Policy.policy.xsd";

    /// <summary>The schema text exactly as embedded.</summary>
    public static string ReadText()
    {
        using var stream = OpenResource();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A freshly compiled schema set. A new one per load: XmlSchemaSet is not documented as thread-safe, and loads
    /// are rare enough that a few milliseconds do not matter.
    /// </summary>
    internal static XmlSchemaSet CreateSchemaSet()
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        using var stream = OpenResource();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(stream, settings);
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }

    private static Stream OpenResource()
        => typeof(PolicySchema).Assembly.GetManifestResourceStream(ResourceName)
           ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the agent assembly.");
}
