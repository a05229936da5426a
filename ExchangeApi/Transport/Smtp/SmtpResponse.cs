using System;
using System.Collections.Generic;
using System.Text;

namespace Microsoft.Exchange.Data.Transport.Smtp;

public struct SmtpResponse : IEquatable<SmtpResponse>
{
    public static readonly SmtpResponse Empty;

    private static readonly string[] LineBreaks = { "\r\n", "\n" };

    private readonly string? _statusCode;
    private readonly string? _enhancedStatusCode;
    private readonly string[]? _statusText;
    private readonly string? _dsnExplanation;

    // Validation as on a real server: statusCode is three digits, enhancedStatusCode (when given) is 2|4|5.y.z and
    // every status text line is US-ASCII (0x01-0x7F); anything else throws FormatException.
    public SmtpResponse(string statusCode, string enhancedStatusCode, params string[] statusText)
        : this(statusCode, enhancedStatusCode, null, false, statusText)
    {
    }

    public SmtpResponse(string statusCode, string enhancedStatusCode, string? dsnExplanation, bool overloadDifferentiator, params string[] statusText)
    {
        _ = overloadDifferentiator;
        if (!IsStatusCode(statusCode))
        {
            throw new FormatException("The SMTP status code must be three digits: " + statusCode);
        }

        if (!string.IsNullOrEmpty(enhancedStatusCode) && !IsEnhancedStatusCode(enhancedStatusCode))
        {
            throw new FormatException("The enhanced status code must look like 2.y.z, 4.y.z or 5.y.z: " + enhancedStatusCode);
        }

        var lines = statusText ?? Array.Empty<string>();
        foreach (var line in lines)
        {
            if (!IsUsAscii(line))
            {
                throw new FormatException("SMTP status text must be US-ASCII.");
            }
        }

        _statusCode = statusCode;
        _enhancedStatusCode = string.IsNullOrEmpty(enhancedStatusCode) ? null : enhancedStatusCode;
        _statusText = (string[])lines.Clone();
        _dsnExplanation = dsnExplanation;
    }

    public bool IsEmpty => _statusCode is null;

    public string? DsnExplanation => _dsnExplanation;

    public SmtpResponseType SmtpResponseType => _statusCode is null ? SmtpResponseType.Unknown : _statusCode[0] switch
    {
        '2' => SmtpResponseType.Success,
        '3' => SmtpResponseType.IntermediateSuccess,
        '4' => SmtpResponseType.TransientError,
        '5' => SmtpResponseType.PermanentError,
        _ => SmtpResponseType.Unknown,
    };

    public string StatusCode => _statusCode ?? string.Empty;

    public string EnhancedStatusCode => _enhancedStatusCode ?? string.Empty;

    public string[] StatusText => _statusText is null ? Array.Empty<string>() : (string[])_statusText.Clone();

    public static bool operator ==(SmtpResponse left, SmtpResponse right) => left.Equals(right);

    public static bool operator !=(SmtpResponse left, SmtpResponse right) => !left.Equals(right);

    // Parses "550 5.7.1 text" and multi-line "550-5.7.1 first\r\n550 5.7.1 last".
    public static bool TryParse(string text, out SmtpResponse response)
    {
        response = Empty;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string? statusCode = null;
        string? enhancedStatusCode = null;
        var lines = new List<string>();
        foreach (var rawLine in text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries))
        {
            if (rawLine.Length < 3 || !IsStatusCode(rawLine.Substring(0, 3)) || (rawLine.Length > 3 && rawLine[3] != ' ' && rawLine[3] != '-'))
            {
                return false;
            }

            var code = rawLine.Substring(0, 3);
            if (statusCode is not null && !string.Equals(statusCode, code, StringComparison.Ordinal))
            {
                return false;
            }

            statusCode = code;
            var rest = rawLine.Length > 4 ? rawLine.Substring(4) : string.Empty;
            var space = rest.IndexOf(' ');
            var firstWord = space < 0 ? rest : rest.Substring(0, space);
            if (IsEnhancedStatusCode(firstWord))
            {
                enhancedStatusCode ??= firstWord;
                rest = space < 0 ? string.Empty : rest.Substring(space + 1);
            }

            if (!IsUsAscii(rest))
            {
                return false;
            }

            lines.Add(rest);
        }

        if (statusCode is null)
        {
            return false;
        }

        response = new SmtpResponse(statusCode, enhancedStatusCode ?? string.Empty, lines.ToArray());
        return true;
    }

    public bool Equals(SmtpResponse other)
    {
        if (!string.Equals(_statusCode, other._statusCode, StringComparison.Ordinal)
            || !string.Equals(_enhancedStatusCode, other._enhancedStatusCode, StringComparison.Ordinal))
        {
            return false;
        }

        var mine = _statusText ?? Array.Empty<string>();
        var theirs = other._statusText ?? Array.Empty<string>();
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (var i = 0; i < mine.Length; i++)
        {
            if (!string.Equals(mine[i], theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is SmtpResponse other && Equals(other);

    public override int GetHashCode() =>
        (_statusCode is null ? 0 : StringComparer.Ordinal.GetHashCode(_statusCode)) ^ (_enhancedStatusCode is null ? 0 : StringComparer.Ordinal.GetHashCode(_enhancedStatusCode));

    public override string ToString()
    {
        if (_statusCode is null)
        {
            return string.Empty;
        }

        var lines = _statusText is { Length: > 0 } ? _statusText : new[] { string.Empty };
        var builder = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            builder.Append(_statusCode).Append(i == lines.Length - 1 ? ' ' : '-');
            if (_enhancedStatusCode is not null)
            {
                builder.Append(_enhancedStatusCode).Append(' ');
            }

            builder.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                builder.Append("\r\n");
            }
        }

        return builder.ToString().TrimEnd(' ');
    }

    private static bool IsStatusCode(string? code) =>
        code is { Length: 3 } && IsAsciiDigit(code[0]) && IsAsciiDigit(code[1]) && IsAsciiDigit(code[2]);

    private static bool IsEnhancedStatusCode(string code)
    {
        var parts = code.Split('.');
        return parts.Length == 3
            && parts[0].Length == 1 && (parts[0][0] == '2' || parts[0][0] == '4' || parts[0][0] == '5')
            && IsDigits(parts[1], 3)
            && IsDigits(parts[2], 3);
    }

    private static bool IsDigits(string value, int maxLength)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUsAscii(string? text)
    {
        if (text is null)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (c < 0x01 || c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';
}
