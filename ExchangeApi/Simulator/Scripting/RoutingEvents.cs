namespace ExchangeApi.Simulator;

/// <summary>The topics <see cref="AgentScript.AnyEvent"/> reports: the names of a routing agent's events.</summary>
public static class RoutingEvents
{
    /// <summary>OnSubmittedMessage.</summary>
    public const string Submitted = "OnSubmittedMessage";

    /// <summary>OnResolvedMessage.</summary>
    public const string Resolved = "OnResolvedMessage";

    /// <summary>OnRoutedMessage.</summary>
    public const string Routed = "OnRoutedMessage";

    /// <summary>OnCategorizedMessage.</summary>
    public const string Categorized = "OnCategorizedMessage";
}
