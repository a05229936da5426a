using System.Globalization;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// One problem in a policy file, formatted <c>file:line:col: rule 'name': message</c>. Problems outside any rule omit
/// the rule part (<c>file:line:col: message</c>); problems with the file as a whole (missing, too large) use line 0
/// and column 0.
/// </summary>
public sealed class PolicyError
{
    /// <summary>Creates an error.</summary>
    public PolicyError(string file, int line, int column, string? ruleName, string message)
    {
        File = Guard.NotNull(file);
        Line = line;
        Column = column;
        RuleName = ruleName;
        Message = Guard.NotNull(message);
    }

    /// <summary>The policy file (as given to the loader).</summary>
    public string File { get; }

    /// <summary>1-based line; 0 when the problem concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>1-based column; 0 when the problem concerns the whole file.</summary>
    public int Column { get; }

    /// <summary>The rule the problem is in; null outside rules.</summary>
    public string? RuleName { get; }

    /// <summary>What is wrong, and where possible what to write instead.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var location = string.Format(CultureInfo.InvariantCulture, "{0}:{1}:{2}: ", File, Line, Column);
        return RuleName is null ? location + Message : location + "rule '" + RuleName + "': " + Message;
    }
}
