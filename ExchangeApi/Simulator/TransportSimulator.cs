using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Exchange.Data.Common;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeApi.Simulator;

// Plays the categorizer for one message: OnSubmittedMessage -> OnResolvedMessage -> OnRoutedMessage ->
// OnCategorizedMessage for the original mail item, then for each fork clone (from the forking event on), enforcing what
// a real Exchange server enforces and recording what it would do (deliver, NDR, defer, drop, crash, log an event).
public sealed class TransportSimulator
{
    private const int CategorizedTopicIndex = 3;

    private static readonly string[] EventTopics =
    [
        RoutingAgent.SubmittedMessageTopic,
        RoutingAgent.ResolvedMessageTopic,
        RoutingAgent.RoutedMessageTopic,
        RoutingAgent.CategorizedMessageTopic,
    ];

    public TransportSimulator(TransportSimulatorOptions? options = null)
    {
        Options = options ?? new TransportSimulatorOptions();
    }

    public TransportSimulatorOptions Options { get; }

    // The whole life of an agent: factory constructor (a throw stops the transport service), the message, then Close().
    public SimulationResult Run(Func<RoutingAgentFactory> createFactory, SimulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(createFactory);
        ArgumentNullException.ThrowIfNull(message);
        var recorder = new ResultRecorder();
        var store = new TempFileStore(Options.TemporaryDirectory);
        RoutingAgentFactory factory;
        try
        {
            factory = createFactory() ?? throw new InvalidOperationException("The factory function returned null.");
        }
        catch (Exception exception)
        {
            // "Failed to create agent factory ... The Microsoft Exchange Transport service will be stopped."
            recorder.Crash(TransportCrashKind.TransportServiceStopped, "AgentFactory", exception);
            return recorder.Freeze(store);
        }

        try
        {
            Categorize(factory, message, store, recorder);
        }
        finally
        {
            try
            {
                factory.Close();
            }
            catch (Exception exception)
            {
                recorder.Crash(TransportCrashKind.EdgeTransportCrashed, "Close", exception);
            }
        }

        return recorder.Freeze(store);
    }

    // An already created factory (shared across runs by the caller, who also closes it).
    public SimulationResult Run(RoutingAgentFactory factory, SimulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Run([factory], message);
    }

    // Several agents, in priority order (Exchange raises each event for every agent, highest priority first); the
    // factories are created and closed by the caller. For example our agent followed by one that defers.
    public SimulationResult Run(IReadOnlyList<RoutingAgentFactory> factories, SimulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(message);
        var recorder = new ResultRecorder();
        var store = new TempFileStore(Options.TemporaryDirectory);
        Categorize(factories, message, store, recorder);
        return recorder.Freeze(store);
    }

    private void Categorize(RoutingAgentFactory factory, SimulatedMessage message, TempFileStore store, ResultRecorder recorder)
        => Categorize([factory], message, store, recorder);

    private void Categorize(IReadOnlyList<RoutingAgentFactory> factories, SimulatedMessage message, TempFileStore store, ResultRecorder recorder)
    {
        ContentFile content;
        try
        {
            content = message.ContentPath is { } path ? store.Adopt(path) : store.Spool(message.OpenContent);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        var run = new RunContext(Options, store, recorder, message);
        run.Enqueue(SimulatedMailItem.CreateOriginal(run, message, content));
        while (run.TryDequeue(out var item))
        {
            try
            {
                Process(factories, item);
            }
            finally
            {
                item.Finish();
            }
        }
    }

    private void Process(IReadOnlyList<RoutingAgentFactory> factories, SimulatedMailItem item)
    {
        var recorder = item.Run.Recorder;
        var agents = new List<RoutingAgent>(factories.Count);
        foreach (var factory in factories)
        {
            try
            {
                // Exchange creates an agent instance for each mail item it categorizes.
                var agent = factory.CreateAgent(item.Run.NewSmtpServer())
                    ?? throw new InvalidOperationException("RoutingAgentFactory.CreateAgent returned null.");
                agent.Name = agent.GetType().Name;
                agents.Add(agent);
            }
            catch (Exception exception)
            {
                recorder.Crash(TransportCrashKind.AgentCreationFailed, "CreateAgent", exception);
                return;
            }
        }

        for (var i = item.StartTopicIndex; i < EventTopics.Length; i++)
        {
            if (i == CategorizedTopicIndex)
            {
                // Content conversion and bifurcation happen after routing, before OnCategorizedMessage.
                item.ConvertContent(CategorizedTopicIndex);
            }

            foreach (var agent in agents)
            {
                if (!Raise(agent, item, i) || item.State != ItemState.Active || item.RecipientList.Count == 0)
                {
                    return;
                }
            }
        }

        recorder.Delivered(item.ToDeliveredCopy());
    }

    // False when the item must not go on (crash, timeout).
    private bool Raise(RoutingAgent agent, SimulatedMailItem item, int topicIndex)
    {
        var topic = EventTopics[topicIndex];
        if (!agent.IsSubscribed(topic))
        {
            return true;
        }

        var invocation = new EventInvocation(topic, topicIndex);
        item.BeginEvent(invocation);
        agent.BeginInvocation(topic, () => new SimulatedAsyncContext(item, invocation));
        Exception? thrown = null;
        try
        {
            agent.Raise(topic, SimulatedEventSources.Create(topic, item), new SimulatedEventArgs(item));
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        var wentAsync = agent.EndInvocation();
        if (thrown is null && wentAsync)
        {
            // Exchange never abandons a slow agent: it waits, and logs 1050 once the agent has finished.
            var started = DateTime.UtcNow;
            if (!invocation.WaitForCompletion(Options.HungAgentTimeout))
            {
                item.Run.Recorder.Violation(
                    ViolationNames.AgentHeldMessageForever,
                    null,
                    topic,
                    "AgentAsyncContext.Complete() was not called within " + Options.HungAgentTimeout + "; a real server would hold the message for ever.",
                    item.RecipientAddresses);
                item.EndEvent();
                return false;
            }

            var took = DateTime.UtcNow - started;
            if (took > Options.AsyncCompletionTimeout)
            {
                item.Run.Recorder.Violation(
                    ViolationNames.MExAgentTooSlow,
                    1050,
                    topic,
                    "The agent took " + took + " (more than " + Options.AsyncCompletionTimeout + ") to call AgentAsyncContext.Complete(); the message waited.",
                    item.RecipientAddresses);
            }

            thrown = invocation.AsyncException;
        }
        else
        {
            item.EnsureWriteStreamClosed(topic);
        }

        item.EndEvent();
        return thrown is null || Fault(item, topic, thrown);
    }

    // MEx catches IOException and Exchange's own LocalizedException (logs 1051 and goes on); anything else takes
    // EdgeTransport.exe down.
    private static bool Fault(SimulatedMailItem item, string topic, Exception exception)
    {
        if (exception is IOException or LocalizedException)
        {
            item.Run.Recorder.Violation(ViolationNames.AgentFault, 1051, topic, exception.GetType().FullName + ": " + exception.Message);
            return true;
        }

        item.Run.Recorder.Crash(TransportCrashKind.EdgeTransportCrashed, topic, exception);
        return false;
    }
}
