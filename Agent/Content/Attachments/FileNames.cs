using System;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>File name helpers shared by attachments and the files inside them.</summary>
internal static class FileNames
{
    /// <summary>The extension without the dot, lower case; trailing dots and spaces (a Windows trick) are ignored.</summary>
    public static string Extension(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return string.Empty;
        }

        var trimmed = fileName!.Trim().TrimEnd('.', ' ');
        var slash = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf('\\'));
        var dot = trimmed.LastIndexOf('.');
        return dot <= slash || dot == trimmed.Length - 1 ? string.Empty : trimmed.Substring(dot + 1).ToLowerInvariant();
    }

    /// <summary>The last segment of an archive entry path.</summary>
    public static string LastSegment(string path)
    {
        var trimmed = path.TrimEnd('/', '\\');
        var slash = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf('\\'));
        return slash < 0 ? trimmed : trimmed.Substring(slash + 1);
    }
}
