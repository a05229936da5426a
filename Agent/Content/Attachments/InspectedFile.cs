namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>One file found in an attachment: the attachment itself, an archive entry, or a part of an attached message.</summary>
internal sealed class InspectedFile
{
    internal InspectedFile(string name, string path, string text)
    {
        Name = name;
        Path = path;
        Text = text;
        Extension = FileNames.Extension(name);
    }

    /// <summary>The file name (for an archive entry: the last segment of its path).</summary>
    public string Name { get; }

    /// <summary>Where it was found, outermost first: "report.zip/2025/setup.exe".</summary>
    public string Path { get; }

    /// <summary>The extension of <see cref="Name"/> without the dot, lower case; empty when none.</summary>
    public string Extension { get; }

    /// <summary>The text read from it (at most the scan limit); empty when it has none or it could not be read.</summary>
    public string Text { get; }
}
