namespace ExchangeEncryptionAgent.Processing;

/// <summary>A recipient to NDR.</summary>
public sealed class PlannedRejection
{
    /// <summary>Creates a rejection; <paramref name="reason"/> must be ASCII (Exchange's SmtpResponse refuses anything else).</summary>
    public PlannedRejection(string recipient, string enhancedStatusCode, string reason, string? ruleName = null)
    {
        Recipient = Guard.NotNull(recipient);
        EnhancedStatusCode = Guard.NotNull(enhancedStatusCode);
        Reason = AsciiText.Sanitize(reason);
        RuleName = ruleName;
    }

    /// <summary>The envelope address.</summary>
    public string Recipient { get; }

    /// <summary>The SMTP status code: 550 for every 5.x.x enhanced code we use.</summary>
    public string StatusCode { get; } = "550";

    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; }

    /// <summary>The NDR text (ASCII).</summary>
    public string Reason { get; }

    /// <summary>The rule that rejected, if a rule did.</summary>
    public string? RuleName { get; }
}
