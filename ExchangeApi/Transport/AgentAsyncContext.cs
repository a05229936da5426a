using System;

namespace Microsoft.Exchange.Data.Transport;

public class AgentAsyncContext
{
    internal AgentAsyncContext()
    {
    }

    public Exception? AsyncException { get; set; }

    // Initialises the calling thread for use by the agent; call it on the worker thread before touching the MailItem.
    // Safe to call more than once; not thread-safe.
    public virtual void Resume()
    {
    }

    // Hands the message back to transport. Exactly once, last; a second call throws InvalidOperationException.
    public virtual void Complete()
    {
    }
}
