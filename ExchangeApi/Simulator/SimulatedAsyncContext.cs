using System;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

internal sealed class SimulatedAsyncContext(SimulatedMailItem item, EventInvocation invocation) : AgentAsyncContext
{
    public override void Resume() => invocation.Resume();

    public override void Complete()
    {
        switch (invocation.BeginComplete())
        {
            case CompleteCall.Repeated:
                item.Run.Recorder.Violation(ViolationNames.MExAgentCompletedTwice, 1056, invocation.Topic, "AgentAsyncContext.Complete() was called more than once.");
                throw new InvalidOperationException("AgentAsyncContext.Complete() has already been called for this event.");
            case CompleteCall.AfterTimeout:
                // Transport gave up on this invocation (MExAgentTooSlow, already recorded).
                return;
            default:
                // Exchange checks the write stream at Complete(), on the completing thread, before the item moves on.
                item.EnsureWriteStreamClosed(invocation.Topic);
                invocation.EndComplete(AsyncException);
                return;
        }
    }
}
