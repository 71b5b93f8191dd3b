using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// Runs every detector over each scrape round of a fleet (edge tier). State lives in flat arrays by dense index;
/// observing a round that raises nothing allocates nothing. One engine belongs to one loop: it is not thread-safe.
/// </summary>
public sealed class DetectionEngine
{
    private readonly FleetTopology _topology;
    private readonly FaultCatalog _catalog;
    private readonly DetectionOptions _options;
    private readonly FindingIssuer _issuer;
    private readonly GpuSignalDetector _gpus;
    private readonly StragglerDetector _stragglers;
    private readonly HeartbeatDetector _heartbeats;
    private readonly JobReportDetector _jobs;
    private PortDetector? _ports;
    private long _lastTicks = long.MinValue;

    /// <summary>An engine whose finding ids draw their random bits from a seed derived from the fleet's name (reproducible runs).</summary>
    public DetectionEngine(FleetTopology topology, FaultCatalog catalog, DetectionOptions options)
        : this(topology, catalog, options, StableSeed(topology?.Name))
    {
    }

    /// <summary>An engine with an explicit seed for the random bits of its finding ids (engines of one fleet should differ).</summary>
    public DetectionEngine(FleetTopology topology, FaultCatalog catalog, DetectionOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _topology = topology;
        _catalog = catalog;
        _options = options;
        _issuer = new FindingIssuer(seed);
        _gpus = new GpuSignalDetector(topology, catalog, options, _issuer);
        _stragglers = new StragglerDetector(topology, catalog, options, _issuer);
        _heartbeats = new HeartbeatDetector(topology, catalog, options, _issuer);
        _jobs = new JobReportDetector(topology, catalog, _issuer);
    }

    public DetectionOptions Options => _options;

    /// <summary>Observes one round; raises a finding per new episode into <paramref name="sink"/>.</summary>
    public void Observe(SignalFrame frame, IFindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        if (frame.Topology.GpuCount != _topology.GpuCount || frame.Topology.Nodes.Count != _topology.Nodes.Count)
        {
            throw new ArgumentException(
                $"The frame is laid out for fleet '{frame.Topology.Name}' ({frame.Topology.Nodes.Count} nodes, {frame.Topology.GpuCount} GPUs), "
                + $"the engine for '{_topology.Name}' ({_topology.Nodes.Count} nodes, {_topology.GpuCount} GPUs).",
                nameof(frame));
        }

        long at = frame.At.UtcTicks;
        if (at <= _lastTicks)
        {
            // Hysteresis counts rounds: the same round twice would count twice, and time going back would make rates negative.
            throw new ArgumentException(
                $"Round at {frame.At:O} is not after the last observed round at {new DateTimeOffset(_lastTicks, TimeSpan.Zero):O}.", nameof(frame));
        }

        // The port layout comes with the frame (rails per node), so the port state is sized at the first round.
        _ports ??= new PortDetector(_topology, _options, _issuer, _catalog, frame.PortOffsets);
        if (!_ports.Fits(frame))
        {
            throw new ArgumentException($"The frame has {frame.Ports.Length} ports ({frame.RailsPerNode} rails per node), not the layout of the engine's first round.", nameof(frame));
        }

        _lastTicks = at;
        _gpus.Observe(frame, sink);
        _stragglers.Observe(frame, sink);
        _ports.Observe(frame, sink);
        _heartbeats.Observe(frame, sink);
    }

    /// <summary>Turns a job's own report (collective timeout, numeric anomaly) into a finding.</summary>
    public void ObserveJobReport(JobReport report, IFindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sink);
        _jobs.Observe(report, sink);
    }

    private static void Validate(DetectionOptions o)
    {
        if (o.XidBurstSilence <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.XidBurstSilence, "DetectionOptions.XidBurstSilence must be positive.");
        }

        Positive(o.RaiseAfterRounds, nameof(o.RaiseAfterRounds));
        Positive(o.ClearAfterRounds, nameof(o.ClearAfterRounds));
        Positive(o.HeartbeatMissedRounds, nameof(o.HeartbeatMissedRounds));
        Positive(o.RepeatedDegradations, nameof(o.RepeatedDegradations));
        if (o.RepeatedDegradationWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.RepeatedDegradationWindow, "DetectionOptions.RepeatedDegradationWindow must be positive.");
        }

        if (o.StragglerMinPeers < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.StragglerMinPeers, "DetectionOptions.StragglerMinPeers must be at least 2 (a GPU needs peers to be compared with).");
        }

        if (!(o.StragglerRatio > 0 && o.StragglerRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.StragglerRatio, "DetectionOptions.StragglerRatio must be in (0, 1].");
        }

        foreach (var (value, name) in new[]
        {
            (o.SbePerHour, nameof(o.SbePerHour)), (o.GpuTempLimitC, nameof(o.GpuTempLimitC)), (o.MemoryTempLimitC, nameof(o.MemoryTempLimitC)),
            (o.PcieReplaysPerMinute, nameof(o.PcieReplaysPerMinute)), (o.NvlinkCrcPerMinute, nameof(o.NvlinkCrcPerMinute)),
            (o.NvlinkReplaysPerMinute, nameof(o.NvlinkReplaysPerMinute)), (o.SymbolErrorsPerHourFatal, nameof(o.SymbolErrorsPerHourFatal)),
            (o.SymbolErrorsPerSecond, nameof(o.SymbolErrorsPerSecond)), (o.LinkErrorRecoveriesPerMinute, nameof(o.LinkErrorRecoveriesPerMinute)),
            (o.RcvErrorsPerSecond, nameof(o.RcvErrorsPerSecond)), (o.XmitDiscardsPerSecond, nameof(o.XmitDiscardsPerSecond)),
        })
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(o), value, $"DetectionOptions.{name} must be a finite threshold of 0 or more.");
            }
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"DetectionOptions.{name} must be at least 1.");
        }
    }

    /// <summary>FNV-1a of the fleet name: string.GetHashCode is randomised per process, which would make runs irreproducible.</summary>
    private static int StableSeed(string? name)
    {
        uint hash = 2166136261;
        foreach (char c in name ?? string.Empty)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
