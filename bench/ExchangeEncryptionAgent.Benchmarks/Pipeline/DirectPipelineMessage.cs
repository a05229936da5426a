using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Benchmarks.Pipeline;

/// <summary>
/// One message through the runtime as the Exchange adapter (Agent/Exchange: MailItemAdapter, MailItemContent) drives
/// it, with nothing the transport simulator adds: OnSubmittedMessage plans the inbound stage; OnResolvedMessage hashes
/// the content (has the inbound stage run on it?) and plans the outbound stage; OnCategorizedMessage hashes the content
/// (did we write it?), builds the planned copy through the runtime's spool, hashes the copy and writes it to the
/// item's write stream (here a memory stream). The content is read from memory, as Exchange's read stream serves it.
/// </summary>
internal sealed class DirectPipelineMessage
{
    private readonly AgentRuntime _runtime;
    private readonly IStagedMessageProcessor _processor;
    private readonly MessageEnvelope _envelope;
    private readonly byte[] _content;
    private readonly MemoryStream _written = new();
    private readonly List<long> _planningTicks = new();
    private readonly List<long> _buildingTicks = new();

    public DirectPipelineMessage(AgentRuntime runtime, MessageEnvelope envelope, byte[] content)
    {
        _runtime = runtime;
        _processor = runtime.Processor as IStagedMessageProcessor ?? throw new InvalidOperationException("the runtime's processor does not plan by stage");
        _envelope = envelope;
        _content = content;
    }

    /// <summary>
    /// Median wall time of one message's planning (both stages, with the adapter's hashing) since the last
    /// <see cref="ResetPhases"/>: on a shared machine the median skips the messages another process interrupted.
    /// </summary>
    public TimeSpan MedianPlanning => Median(_planningTicks);

    /// <summary>Median wall time of building, hashing and writing one message's copy, as above.</summary>
    public TimeSpan MedianBuilding => Median(_buildingTicks);

    /// <summary>Starts the phase figures again (after the warm-up).</summary>
    public void ResetPhases()
    {
        _planningTicks.Clear();
        _buildingTicks.Clear();
    }

    /// <summary>Runs the three events for one message; returns the content written to the item (valid until the next call).</summary>
    public MemoryStream Run()
    {
        var cancellation = CancellationToken.None;
        var started = Stopwatch.GetTimestamp();

        // OnSubmittedMessage: the inbound stage. A plain outbound message needs no inbound copy.
        var nowUtc = DateTime.UtcNow;
        ProcessingPlan inbound;
        using (var content = Open())
        {
            inbound = _processor.Plan(_envelope, content, nowUtc, PlanningStage.Inbound, cancellation);
        }

        if (inbound.Copies.Any(c => c.ChangesContent))
        {
            throw new InvalidOperationException("the inbound stage changed a plain message: check the policy");
        }

        var inboundDigest = Digest(_content);

        // OnResolvedMessage: the inbound digest matches, so the outbound stage is planned.
        ProcessingPlan plan;
        using (var content = Open())
        {
            var stage = Digest(_content) == inboundDigest ? PlanningStage.Outbound : PlanningStage.Complete;
            plan = _processor.Plan(_envelope, content, DateTime.UtcNow, stage, cancellation);
        }

        // OnCategorizedMessage: the written-digest check, build, hash the copy, write it in one go.
        var planned = Stopwatch.GetTimestamp();
        _planningTicks.Add(planned - started);
        _ = Digest(_content);
        var copy = plan.Copies.Single();
        using (var content = Open())
        using (var result = _runtime.Builder.Build(copy, content, cancellation) ?? throw new InvalidOperationException("the plan did not change the content: check the policy"))
        {
            using (var sha = SHA256.Create())
            {
                result.Position = 0;
                _ = sha.ComputeHash(result);
            }

            _written.SetLength(0);
            result.Position = 0;
            result.CopyTo(_written, 81920);
        }

        _written.Position = 0;
        _buildingTicks.Add(Stopwatch.GetTimestamp() - planned);
        return _written;
    }

    private static TimeSpan Median(List<long> ticks)
    {
        if (ticks.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        return Stopwatch.GetElapsedTime(0, sorted[sorted.Length / 2]);
    }

    private MemoryStream Open() => new(_content, writable: false);

    private static string Digest(byte[] content) => Convert.ToBase64String(SHA256.HashData(content));
}
