using System.Xml;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>Reader settings for every XML file the agent reads: no DTD, no resolver, bounded size.</summary>
internal static class SafeXml
{
    /// <summary>DTDs prohibited (no entity expansion, no external DTD), no external resources, comments ignored.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };
}
