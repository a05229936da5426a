using System;
using System.Globalization;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Sizes as the policy writes them: 1048576, 150KB, 10 MB, 1GB (binary units, as Exchange uses).</summary>
internal static class SizeParser
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a size.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = (text ?? string.Empty).Trim();
        long multiplier = 1;
        foreach (var (suffix, factor) in new[] { ("KB", 1024L), ("MB", 1024L * 1024), ("GB", 1024L * 1024 * 1024), ("B", 1L) })
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value.Substring(0, value.Length - suffix.Length).TrimEnd();
                multiplier = factor;
                break;
            }
        }

        if (value.Length == 0 || value.Length > 15 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }
}
