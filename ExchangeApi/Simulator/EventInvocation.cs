using System;
using System.Collections.Generic;
using System.Threading;

namespace ExchangeApi.Simulator;

internal enum ThreadAccess
{
    Allowed,
    FirstUnresumedAccess,
    RepeatedUnresumedAccess,
}

internal enum CompleteCall
{
    First,
    Repeated,
    AfterTimeout,
}

// One raising of one event on one mail item: which thread may touch the item, and the async hand-back.
internal sealed class EventInvocation(string topic, int topicIndex)
{
    private readonly object _sync = new();
    private readonly HashSet<int> _resumedThreads = [];
    private readonly HashSet<int> _reportedThreads = [];
    private int _completeCalls;
    private bool _signalled;
    private bool _abandoned;

    public string Topic { get; } = topic;

    public int TopicIndex { get; } = topicIndex;

    public int HandlerThreadId { get; } = Environment.CurrentManagedThreadId;

    public Exception? AsyncException { get; private set; }

    public void Resume()
    {
        lock (_sync)
        {
            _resumedThreads.Add(Environment.CurrentManagedThreadId);
        }
    }

    // MEx expects the handler's own thread, or a worker thread that called Resume() first (1057 otherwise).
    public ThreadAccess CheckThread()
    {
        var thread = Environment.CurrentManagedThreadId;
        if (thread == HandlerThreadId)
        {
            return ThreadAccess.Allowed;
        }

        lock (_sync)
        {
            if (_resumedThreads.Contains(thread))
            {
                return ThreadAccess.Allowed;
            }

            return _reportedThreads.Add(thread) ? ThreadAccess.FirstUnresumedAccess : ThreadAccess.RepeatedUnresumedAccess;
        }
    }

    public CompleteCall BeginComplete()
    {
        lock (_sync)
        {
            _completeCalls++;
            if (_completeCalls > 1)
            {
                return CompleteCall.Repeated;
            }

            return _abandoned ? CompleteCall.AfterTimeout : CompleteCall.First;
        }
    }

    public void EndComplete(Exception? asyncException)
    {
        lock (_sync)
        {
            AsyncException = asyncException;
            _signalled = true;
            Monitor.PulseAll(_sync);
        }
    }

    // False when Complete() did not come in time; the invocation is then abandoned and a late Complete() is ignored.
    public bool WaitForCompletion(TimeSpan timeout)
    {
        lock (_sync)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!_signalled)
            {
                var left = deadline - DateTime.UtcNow;
                if (_completeCalls > 0)
                {
                    // Complete() has started on the worker: it finishes promptly.
                    Monitor.Wait(_sync);
                }
                else if (left <= TimeSpan.Zero || !Monitor.Wait(_sync, left))
                {
                    if (!_signalled && _completeCalls == 0)
                    {
                        _abandoned = true;
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
