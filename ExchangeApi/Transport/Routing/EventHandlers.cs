namespace Microsoft.Exchange.Data.Transport.Routing;

public delegate void SubmittedMessageEventHandler(SubmittedMessageEventSource source, QueuedMessageEventArgs e);

public delegate void ResolvedMessageEventHandler(ResolvedMessageEventSource source, QueuedMessageEventArgs e);

public delegate void RoutedMessageEventHandler(RoutedMessageEventSource source, QueuedMessageEventArgs e);

public delegate void CategorizedMessageEventHandler(CategorizedMessageEventSource source, QueuedMessageEventArgs e);
