using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Exchange.Data.Transport;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class AsyncTests
{
    private static readonly TimeSpan WorkerWait = TimeSpan.FromSeconds(30);

    private static readonly string Rewritten = Crlf(
        """
        From: alice@contoso.com
        Subject: Rewritten on a worker
        Content-Type: text/plain

        Done asynchronously.
        """);

    private static readonly TransportSimulator Simulator = new(new TransportSimulatorOptions { AsyncCompletionTimeout = WorkerWait });

    [Fact]
    public void WellBehavedAsync_ResumeWorkComplete_IsHealthy()
    {
        using var result = RunRoutedOnWorker(
            (context, item) =>
            {
                try
                {
                    context.Resume();
                    using var write = item.GetMimeWriteStream()!;
                    write.Write(Ascii(Rewritten));
                }
                finally
                {
                    context.Complete();
                }
            },
            Plain());

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(Rewritten, Assert.Single(result.Delivered).ReadAllText());
    }

    [Fact]
    public void WorkerWithoutResume_IsRecorded()
    {
        using var result = RunRoutedOnWorker(
            (context, item) =>
            {
                try
                {
                    _ = item.Recipients.Count;
                    _ = item.FromAddress;
                }
                finally
                {
                    context.Complete();
                }
            },
            Plain());

        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.MExAgentDidNotCallResume, violation.Name);
        Assert.Equal(1057, violation.EventId);
        Assert.Equal(RoutingEvents.Routed, violation.EventTopic);
        Assert.Single(result.Delivered);
    }

    [Fact]
    public void CompleteTwice_ThrowsAndIsRecorded()
    {
        Exception? second = null;
        var script = new AgentScript
        {
            Categorized = call =>
            {
                var context = call.GetAsyncContext();
                context.Complete();
                second = Capture(context.Complete);
            },
        };

        using var result = Run(script, Plain());

        Assert.IsType<InvalidOperationException>(second);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.MExAgentCompletedTwice, violation.Name);
        Assert.Equal(1056, violation.EventId);
    }

    [Fact]
    public void SlowAgent_IsNotAbandoned_ItsWorkCounts_And1050IsLoggedAfterwards()
    {
        var simulator = new TransportSimulator(new TransportSimulatorOptions { AsyncCompletionTimeout = TimeSpan.FromMilliseconds(100) });
        using var result = RunRoutedOnWorker(
            (context, item) =>
            {
                Thread.Sleep(400);
                context.Resume();
                using (var write = item.GetMimeWriteStream()!)
                {
                    write.Write(Ascii(Rewritten));
                }

                context.Complete();
            },
            Plain(Bob, Carol), simulator);

        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.MExAgentTooSlow, violation.Name);
        Assert.Equal(1050, violation.EventId);
        Assert.Equal(Rewritten, Assert.Single(result.Delivered).ReadAllText());
    }

    [Fact]
    public async Task NeverCompleted_HoldsTheMessage_UntilTheTestGuardGivesUp()
    {
        using var release = new ManualResetEventSlim();
        Task? worker = null;
        Exception? lateComplete = null;
        var categorized = 0;
        var script = new AgentScript
        {
            Routed = call =>
            {
                var context = call.GetAsyncContext();
                worker = Task.Run(() =>
                {
                    release.Wait(WorkerWait);
                    lateComplete = Capture(context.Complete);
                });
            },
            Categorized = _ => categorized++,
        };
        var simulator = new TransportSimulator(new TransportSimulatorOptions
        {
            AsyncCompletionTimeout = TimeSpan.FromMilliseconds(50),
            HungAgentTimeout = TimeSpan.FromMilliseconds(300),
        });

        using var result = Run(script, Plain(Bob, Carol), simulator);
        release.Set();
        await worker!.WaitAsync(WorkerWait);

        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.AgentHeldMessageForever, violation.Name);
        Assert.Equal([Bob.Address, Carol.Address], violation.Recipients);
        Assert.Empty(result.Delivered);
        Assert.Empty(result.Deferrals);
        Assert.Equal(0, categorized);
        Assert.Null(lateComplete);
    }

    [Fact]
    public void GetAgentAsyncContext_Twice_Throws()
    {
        Exception? second = null;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                var context = call.GetAsyncContext();
                second = Capture(() => call.GetAsyncContext());
                context.Complete();
            },
        };

        using var result = Run(script, Plain());

        Assert.IsType<InvalidOperationException>(second);
        Assert.True(result.Healthy, result.ToString());
        Assert.Single(result.Delivered);
    }

    [Fact]
    public void GetAgentAsyncContext_InEachEvent_IsAllowed()
    {
        var completions = 0;
        void GoAsync(Func<AgentAsyncContext> get)
        {
            var context = get();
            _ = Task.Run(() =>
            {
                context.Resume();
                Interlocked.Increment(ref completions);
                context.Complete();
            });
        }

        var script = new AgentScript
        {
            Submitted = call => GoAsync(call.GetAsyncContext),
            Resolved = call => GoAsync(call.GetAsyncContext),
            Routed = call => GoAsync(call.GetAsyncContext),
            Categorized = call => GoAsync(call.GetAsyncContext),
        };

        using var result = Run(script, Plain());

        Assert.Equal(4, completions);
        Assert.True(result.Healthy, result.ToString());
    }

    [Fact]
    public void AsyncException_IOException_IsAFaultAndMailFlows()
    {
        var script = new AgentScript
        {
            Routed = call =>
            {
                var context = call.GetAsyncContext();
                context.AsyncException = new IOException("certificate store unreachable");
                context.Complete();
            },
        };

        using var result = Run(script, Plain());

        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.AgentFault, violation.Name);
        Assert.Equal(1051, violation.EventId);
        Assert.Contains("certificate store unreachable", violation.Description, StringComparison.Ordinal);
        Assert.Single(result.Delivered);
        Assert.Empty(result.Crashes);
    }

    [Fact]
    public void AsyncException_Other_CrashesTransport()
    {
        var script = new AgentScript
        {
            Routed = call =>
            {
                var context = call.GetAsyncContext();
                context.AsyncException = new InvalidOperationException("bug");
                context.Complete();
            },
        };

        using var result = Run(script, Plain());

        var crash = Assert.Single(result.Crashes);
        Assert.Equal(TransportCrashKind.EdgeTransportCrashed, crash.Kind);
        Assert.Equal(RoutingEvents.Routed, crash.EventTopic);
        Assert.Empty(result.Delivered);
    }

    [Fact]
    public void WriteStreamOpenAtComplete_RestoresContentAndClearsRecipients()
    {
        using var result = RunRoutedOnWorker(
            (context, item) =>
            {
                context.Resume();
                item.GetMimeWriteStream()!.Write(Ascii(Rewritten));
                context.Complete();
            },
            Plain(Bob, Carol));

        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.AgentDidNotCloseMimeStream, violation.Name);
        Assert.Equal(RoutingEvents.Routed, violation.EventTopic);
        Assert.Empty(result.Delivered);
        Assert.All(result.Dropped, d => Assert.Equal(DropReason.AgentDidNotCloseMimeStream, d.Reason));
        Assert.Equal(2, result.Dropped.Count);
    }

    [Fact]
    public void MailItem_UsedAfterItsEvent_ThrowsAndIsRecorded()
    {
        MailItem? finished = null;
        Exception? error = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                if (call.Item.Recipients.Count == 2)
                {
                    // Keep the original item, then use it while the fork clone is being categorized (it is finished by then).
                    finished = call.Item;
                    call.Source.Fork([call.Item.Recipients[0]]);
                }
                else
                {
                    error = Capture(() => _ = finished!.FromAddress);
                }
            },
        };

        using var result = Run(script, Plain(Bob, Carol));

        Assert.IsType<InvalidOperationException>(error);
        Assert.True(result.HasViolation(ViolationNames.AgentUsedMailItemAfterEvent), result.ToString());
        Assert.Equal(2, result.Delivered.Count);
    }

    /// <summary>One message through an agent that follows <paramref name="script"/>.</summary>
    private static SimulationResult Run(AgentScript script, SimulatedMessage message, TransportSimulator? simulator = null)
        => (simulator ?? Simulator).Run(() => new ScriptedAgentFactory(script), message);

    /// <summary>
    /// One message through an agent that goes asynchronous in OnRouted and does <paramref name="work"/> on a worker
    /// thread, the way an agent hands slow work (certificate look-ups, encryption) to the thread pool.
    /// </summary>
    private static SimulationResult RunRoutedOnWorker(Action<AgentAsyncContext, MailItem> work, SimulatedMessage message, TransportSimulator? simulator = null)
    {
        var script = new AgentScript
        {
            Routed = call =>
            {
                var context = call.GetAsyncContext();
                var item = call.Item;
                _ = Task.Run(() => work(context, item));
            },
        };
        return Run(script, message, simulator);
    }
}
