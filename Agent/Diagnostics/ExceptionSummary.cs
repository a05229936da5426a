using System;
using System.Diagnostics;
using System.Text;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// What an unexpected exception may put into the event log. Exception messages can quote what they choked on (a
/// header value, an address, a line of the body), may be any length and may contain line breaks that forge extra
/// lines in a text log. So: the exception types (outer to inner), a bounded message with control characters
/// replaced, and the methods on the stack (names only, which carry no message content).
/// </summary>
internal static class ExceptionSummary
{
    /// <summary>The most characters of an exception message that are kept.</summary>
    public const int MaxMessageLength = 160;

    private const int MaxInnerExceptions = 4;
    private const int MaxFrames = 12;

    /// <summary>"Type: message" for <paramref name="exception"/>, then " / Inner.Type: message" for its causes.</summary>
    public static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        var current = exception;
        for (var depth = 0; current is not null && depth <= MaxInnerExceptions; depth++, current = current.InnerException)
        {
            if (depth > 0)
            {
                text.Append(" / ");
            }

            text.Append(current.GetType().FullName).Append(": ").Append(Clean(current.Message, MaxMessageLength));
        }

        return text.ToString();
    }

    /// <summary>The methods on the exception's stack, innermost first, as "Type.Method" (no file names, no values).</summary>
    public static string Frames(Exception exception)
    {
        StackFrame[]? frames;
        try
        {
            frames = new StackTrace(exception, fNeedFileInfo: false).GetFrames();
        }
#pragma warning disable CA1031 // A stack that cannot be read is simply not shown.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(stack unavailable)";
        }

        if (frames is null || frames.Length == 0)
        {
            return "(no stack)";
        }

        var text = new StringBuilder();
        for (var i = 0; i < frames.Length && i < MaxFrames; i++)
        {
            var method = frames[i].GetMethod();
            if (text.Length > 0)
            {
                text.Append(" < ");
            }

            text.Append(method is null ? "?" : Clean((method.DeclaringType?.FullName ?? "?") + "." + method.Name, 200));
        }

        return frames.Length > MaxFrames ? text.Append(" < ...").ToString() : text.ToString();
    }

    /// <summary>At most <paramref name="maxLength"/> characters, each control or line-breaking character as '?'.</summary>
    public static string Clean(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var length = Math.Min(text!.Length, maxLength);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            chars[i] = char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' ? '?' : c;
        }

        var clean = new string(chars);
        return text.Length > maxLength ? clean + "..." : clean;
    }
}
