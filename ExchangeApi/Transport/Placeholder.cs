namespace Microsoft.Exchange.Data.Transport;

/// <summary>Placeholder until the stand-in lands.</summary>
public abstract class AgentFactory
{
    public virtual void Close() { }
}
