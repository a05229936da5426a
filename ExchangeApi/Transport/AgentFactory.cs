namespace Microsoft.Exchange.Data.Transport;

public abstract class AgentFactory
{
    protected AgentFactory()
    {
    }

    // Called once at transport service shutdown: the place to release what the factory holds.
    public virtual void Close()
    {
    }
}
