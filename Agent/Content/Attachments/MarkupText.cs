using System.IO;
using System.Xml;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>The text of XML documents (plain XML, and OpenDocument's content.xml): every text node, in order.</summary>
internal static class MarkupText
{
    // No DTDs (entity expansion bombs), no external resources, no limit beyond ours on characters.
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Reads text nodes; a break after each element end so cells and paragraphs do not run together.</summary>
    public static void ReadXml(Stream stream, BoundedText text, InspectionBudget budget)
    {
        using var reader = XmlReader.Create(stream, Settings);
        var nodes = 0;
        while (!text.IsFull && reader.Read())
        {
            if (++nodes % 4096 == 0)
            {
                budget.CheckTime();
            }

            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    // OpenDocument splits words across spans (<text:span>): only block ends separate words.
                    if (reader.LocalName is not "span" and not "a")
                    {
                        text.Break();
                    }

                    break;
            }
        }
    }
}
