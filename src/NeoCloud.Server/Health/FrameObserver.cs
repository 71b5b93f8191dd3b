using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Signals;
using NeoCloud.Kernel.Ids;
using NeoCloud.Telemetry.Collection;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Server.Health;

/// <summary>
/// Fills signal frames from the telemetry collector's parsed pages (no second scrape or parse) and hands each finished
/// round to the health loop. Three frames take turns: one is filled, one may wait for the loop, one may be in the loop's
/// hands. When a round finishes while the previous one still waits untaken, the older one is dropped for the newer
/// (detectors work on cumulative counters, so a skipped round loses no counts, only a little time).
/// </summary>
public sealed class FrameObserver : IPageObserver
{
    private readonly FleetTopology _topology;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _published = new(0, 1);
    private readonly Lock _gate = new();
    private SignalFrame _filling;
    private readonly Stack<SignalFrame> _spare;
    private SignalFrame? _ready;
    private long _dropped;
    private long _unknownNodes;

    /// <param name="clock">Stamps each round (the host's health clock, the twin's virtual time like the job flow).</param>
    public FrameObserver(FleetTopology topology, TimeProvider clock, int railsPerNode)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _topology = topology;
        _clock = clock;
        _filling = new SignalFrame(topology, railsPerNode);
        _spare = new Stack<SignalFrame>([new SignalFrame(topology, railsPerNode), new SignalFrame(topology, railsPerNode)]);
    }

    /// <summary>Rounds dropped for a newer one because the health loop had not taken them yet.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Pages of nodes the topology does not know (ignored).</summary>
    public long UnknownNodes => Interlocked.Read(ref _unknownNodes);

    public void OnRoundStarted(DateTimeOffset at)
    {
        lock (_gate)
        {
            _filling.Begin(_clock.GetUtcNow());
        }
    }

    public void OnDcgmPage(string node, IReadOnlyList<GpuReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (IndexOf(node, readings.Count > 0 ? readings[0].Hostname : null) is { } index)
        {
            lock (_gate)
            {
                SignalFrameFiller.FillGpus(_filling, index, readings);
            }
        }
    }

    public void OnPortPage(string node, SampleBatch batch)
    {
        if (IndexOf(node, null) is { } index)
        {
            lock (_gate)
            {
                SignalFrameFiller.FillPorts(_filling, index, batch);
            }
        }
    }

    public void OnRoundCompleted(DateTimeOffset at, IReadOnlyCollection<string> answered)
    {
        lock (_gate)
        {
            if (_ready is not null)
            {
                // The loop has not taken the last round yet: it gets this newer one instead; the older frame is refilled.
                (_ready, _filling) = (_filling, _ready);
                Interlocked.Increment(ref _dropped);
                return;
            }

            // One frame is filled, none waits, at most one is in the loop's hands: a spare is always left.
            _ready = _filling;
            _filling = _spare.Pop();
        }

        _published.Release();
    }

    /// <summary>Waits for the next finished round; give the frame back with <see cref="Return"/> before taking the next one.</summary>
    public async Task<SignalFrame> TakeAsync(CancellationToken cancellationToken)
    {
        await _published.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var frame = _ready ?? throw new InvalidOperationException("A round was published but no frame is ready.");
            _ready = null;
            return frame;
        }
    }

    public void Return(SignalFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_gate)
        {
            _spare.Push(frame);
        }
    }

    private int? IndexOf(string node, string? hostname)
    {
        if (_topology.TryGetNodeIndex(new NodeId(node), out int index)
            || (hostname is { Length: > 0 } && _topology.TryGetNodeIndex(new NodeId(hostname), out index)))
        {
            return index;
        }

        Interlocked.Increment(ref _unknownNodes);
        return null;
    }
}
