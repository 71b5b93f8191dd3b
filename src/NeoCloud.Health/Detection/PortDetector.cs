using System.Globalization;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// The InfiniBand port detectors with NVSentinel's thresholds (FACTS.md): link down, link integrity, buffer overrun and
/// RNR NAK retry errors on any rise; symbol errors over an hour; symbol, link-recovery, receive-error and discard rates
/// with hysteresis; and a port degraded again and again (3 rate episodes within an hour) as a part to replace. One
/// episode per port per code; state in flat arrays by the frame's port index.
/// </summary>
internal sealed class PortDetector
{
    private const int LinkDowned = 0;
    private const int Integrity = 1;
    private const int Overrun = 2;
    private const int RnrNak = 3;
    private const int SymbolHourly = 4;
    private const int SymbolRate = 5;
    private const int LinkRecovery = 6;
    private const int RcvErrors = 7;
    private const int XmitDiscards = 8;
    private const int Rules = 9;

    /// <summary>
    /// Symbol errors of the last hour are kept in 12 five-minute buckets per port (a small preallocated ring whose size does
    /// not depend on the scrape interval): the window is the current bucket and the 11 before it, 55 to 60 minutes.
    /// </summary>
    private const int HourBuckets = 12;

    private static readonly long BucketTicks = TimeSpan.FromMinutes(5).Ticks;

    private readonly FleetTopology _topology;
    private readonly DetectionOptions _options;
    private readonly FindingIssuer _issuer;
    private readonly FaultCode[] _codes;
    private readonly int[] _portOffsets;
    private readonly int[] _nodeOfPort;
    private readonly PortSample[] _prev;
    private readonly long[] _prevTicks;
    private readonly Episode[] _episodes;
    private readonly long[] _symbolBuckets;
    private readonly long[] _symbolBucketEpoch;
    private readonly long[] _symbolHour;

    /// <summary>Per port: when its last degradation episodes began (a ring of <see cref="DetectionOptions.RepeatedDegradations"/>).</summary>
    private readonly long[] _degradedAt;
    private readonly int[] _degradedNext;
    private readonly long[] _repeatedRaisedAt;
    private readonly FaultCode _repeated;

    /// <summary>Per port: every episode idle, so an up port with unchanged counters needs no detector this round.</summary>
    private readonly bool[] _quiet;

    public PortDetector(FleetTopology topology, DetectionOptions options, FindingIssuer issuer, FaultCatalog catalog, int[] portOffsets)
    {
        _topology = topology;
        _options = options;
        _issuer = issuer;
        _codes =
        [
            catalog.Get("IB-LINK-DOWNED"), catalog.Get("IB-LINK-INTEGRITY"), catalog.Get("IB-BUFFER-OVERRUN"), catalog.Get("IB-RNR-NAK-RETRY"),
            catalog.Get("IB-SYMBOL-ERROR-HOURLY"), catalog.Get("IB-SYMBOL-ERROR-RATE"), catalog.Get("IB-LINK-ERROR-RECOVERY"),
            catalog.Get("IB-RCV-ERRORS"), catalog.Get("IB-XMIT-DISCARDS"),
        ];
        _portOffsets = [.. portOffsets];
        int ports = portOffsets[^1];
        _nodeOfPort = new int[ports];
        for (int n = 0; n + 1 < portOffsets.Length; n++)
        {
            _nodeOfPort.AsSpan(portOffsets[n], portOffsets[n + 1] - portOffsets[n]).Fill(n);
        }

        _prev = new PortSample[ports];
        _prevTicks = new long[ports];
        _episodes = new Episode[ports * Rules];
        _symbolBuckets = new long[ports * HourBuckets];
        _symbolBucketEpoch = new long[ports];
        _symbolHour = new long[ports];
        _quiet = new bool[ports];
        _degradedAt = new long[ports * Math.Max(1, options.RepeatedDegradations)];
        _degradedNext = new int[ports];
        _repeatedRaisedAt = new long[ports];
        _repeated = catalog.Get("IB-PORT-DEGRADED-REPEATEDLY");
    }

    /// <summary>Whether this detector was sized for <paramref name="frame"/>'s port layout.</summary>
    public bool Fits(SignalFrame frame) => frame.PortOffsets.AsSpan().SequenceEqual(_portOffsets);

    public void Observe(SignalFrame frame, IFindingSink sink)
    {
        long at = frame.At.UtcTicks;
        int raise = _options.RaiseAfterRounds;
        int clear = _options.ClearAfterRounds;
        var ports = frame.Ports;
        for (int p = 0; p < ports.Length; p++)
        {
            ref readonly var cur = ref ports[p];
            if (!cur.Present)
            {
                continue;
            }

            ref var prev = ref _prev[p];
            bool seen = _prevTicks[p] != 0;

            // The symbol-error ring is left as it is: its buckets age by time and are evicted at the next error.
            if (seen && _quiet[p] && cur.Up && Unchanged(cur, prev))
            {
                _prevTicks[p] = at;
                continue;
            }

            var episodes = _episodes.AsSpan(p * Rules, Rules);

            // The link-down episode lasts while the port is down or its counter keeps rising; a counter reset is no rise.
            bool downedRose = seen && cur.LinkDowned > prev.LinkDowned;
            if (episodes[LinkDowned].Step(!cur.Up || downedRose, at, 1, clear))
            {
                Raise(frame, p, LinkDowned, "link_downed", prev.LinkDowned, cur.LinkDowned, null, sink, cur.Up ? 1 : 0);
            }

            if (seen)
            {
                double seconds = (at - _prevTicks[p]) / (double)TimeSpan.TicksPerSecond;
                StepRise(frame, p, Integrity, "local_link_integrity_errors", prev.LocalLinkIntegrityErrors, cur.LocalLinkIntegrityErrors, sink);
                StepRise(frame, p, Overrun, "excessive_buffer_overrun_errors", prev.ExcessiveBufferOverrunErrors, cur.ExcessiveBufferOverrunErrors, sink);
                StepRise(frame, p, RnrNak, "rnr_nak_retry_err", prev.RnrNakRetryErrors, cur.RnrNakRetryErrors, sink);
                if (cur.SymbolErrors >= prev.SymbolErrors)
                {
                    long hour = AddSymbolErrors(p, at, cur.SymbolErrors - prev.SymbolErrors);
                    if (episodes[SymbolHourly].Step(hour > _options.SymbolErrorsPerHourFatal, at, 1, clear))
                    {
                        Raise(frame, p, SymbolHourly, "symbol_error", prev.SymbolErrors, cur.SymbolErrors, "last_hour", sink, hour, _options.SymbolErrorsPerHourFatal);
                    }
                }

                StepRate(frame, p, SymbolRate, "symbol_error", "per_second", prev.SymbolErrors, cur.SymbolErrors, seconds, _options.SymbolErrorsPerSecond, sink);
                StepRate(frame, p, LinkRecovery, "link_error_recovery", "per_minute", prev.LinkErrorRecovery, cur.LinkErrorRecovery, seconds / 60, _options.LinkErrorRecoveriesPerMinute, sink);
                StepRate(frame, p, RcvErrors, "port_rcv_errors", "per_second", prev.PortRcvErrors, cur.PortRcvErrors, seconds, _options.RcvErrorsPerSecond, sink);
                StepRate(frame, p, XmitDiscards, "port_xmit_discards", "per_second", prev.PortXmitDiscards, cur.PortXmitDiscards, seconds, _options.XmitDiscardsPerSecond, sink);
            }

            prev = cur;
            _prevTicks[p] = at;
            _quiet[p] = Episode.AllIdle(episodes);
        }
    }

    private static bool Unchanged(in PortSample cur, in PortSample prev) =>
        cur.LinkDowned == prev.LinkDowned
        && cur.SymbolErrors == prev.SymbolErrors
        && cur.LinkErrorRecovery == prev.LinkErrorRecovery
        && cur.LocalLinkIntegrityErrors == prev.LocalLinkIntegrityErrors
        && cur.ExcessiveBufferOverrunErrors == prev.ExcessiveBufferOverrunErrors
        && cur.PortRcvErrors == prev.PortRcvErrors
        && cur.PortXmitDiscards == prev.PortXmitDiscards
        && cur.RnrNakRetryErrors == prev.RnrNakRetryErrors;

    /// <summary>Adds a round's symbol errors to the port's ring and returns the errors of the last hour.</summary>
    private long AddSymbolErrors(int port, long at, long delta)
    {
        long bucket = at / BucketTicks;
        long epoch = _symbolBucketEpoch[port];
        if (bucket > epoch)
        {
            // Healthy ports (nothing in the ring) skip the eviction walk.
            if (_symbolHour[port] != 0)
            {
                var ring = _symbolBuckets.AsSpan(port * HourBuckets, HourBuckets);
                for (long b = epoch + 1; b <= bucket && b <= epoch + HourBuckets; b++)
                {
                    int slot = (int)(b % HourBuckets);
                    _symbolHour[port] -= ring[slot];
                    ring[slot] = 0;
                }
            }

            _symbolBucketEpoch[port] = bucket;
        }

        if (delta > 0)
        {
            _symbolBuckets[(port * HourBuckets) + (int)(bucket % HourBuckets)] += delta;
            _symbolHour[port] += delta;
        }

        return _symbolHour[port];
    }

    private void StepRise(SignalFrame frame, int port, int rule, string signal, long prev, long cur, IFindingSink sink)
    {
        if (cur >= prev && _episodes[(port * Rules) + rule].Step(cur > prev, frame.At.UtcTicks, 1, _options.ClearAfterRounds))
        {
            Raise(frame, port, rule, signal, prev, cur, null, sink);
        }
    }

    private void StepRate(SignalFrame frame, int port, int rule, string signal, string unit, long prev, long cur, double intervalUnits, double threshold, IFindingSink sink)
    {
        // A counter that went down was reset (HCA reset, reboot): the round only re-baselines.
        if (cur < prev || intervalUnits <= 0)
        {
            return;
        }

        double rate = (cur - prev) / intervalUnits;
        if (_episodes[(port * Rules) + rule].Step(rate > threshold, frame.At.UtcTicks, _options.RaiseAfterRounds, _options.ClearAfterRounds))
        {
            Raise(frame, port, rule, signal, prev, cur, unit, sink, rate, threshold);
        }
    }

    private void Raise(SignalFrame frame, int port, int rule, string signal, long prev, long cur, string? unit, IFindingSink sink, double derived = 0, double? threshold = null)
    {
        int node = _nodeOfPort[port];
        string nodeId = _topology.Nodes[node].Id.Value;
        string id = string.Create(CultureInfo.InvariantCulture, $"{nodeId}/mlx5_{port - _portOffsets[node]}");
        var fault = _codes[rule];
        var prevAt = new DateTimeOffset(_prevTicks[port] == 0 ? frame.At.UtcTicks : _prevTicks[port], TimeSpan.Zero);
        var evidence = new List<Evidence> { new(prevAt, id, signal, prev), new(frame.At, id, signal, cur) };
        string summary;
        if (rule == LinkDowned)
        {
            evidence.Add(new(frame.At, id, "port_up", derived));
            summary = derived == 0 ? $"Port {id} is down." : string.Create(CultureInfo.InvariantCulture, $"Port {id}: link_downed rose from {prev} to {cur}.");
        }
        else if (unit is null)
        {
            summary = string.Create(CultureInfo.InvariantCulture, $"Port {id}: {signal} rose from {prev} to {cur} (fatal on any increase).");
        }
        else
        {
            evidence.Add(new(frame.At, id, signal + "_" + unit, derived, threshold));
            summary = string.Create(CultureInfo.InvariantCulture, $"Port {id}: {fault.Name}, {derived:0.##} {unit.Replace('_', ' ')} over the threshold of {threshold:0.##}.");
        }

        var firstSeen = new DateTimeOffset(_episodes[(port * Rules) + rule].FirstOverTicks, TimeSpan.Zero);
        sink.Raise(_issuer.Issue(fault, new ComponentRef(ComponentKind.Port, id), nodeId, firstSeen, frame.At, summary, [.. evidence], NodeWork.Of(frame, node)));
        if (!fault.Fatal)
        {
            NoteDegradation(frame, port, id, nodeId, node, sink);
        }
    }

    // A passing burst is a warning; the same port degrading again and again within the window is a part to replace.
    private void NoteDegradation(SignalFrame frame, int port, string id, string nodeId, int node, IFindingSink sink)
    {
        int n = Math.Max(1, _options.RepeatedDegradations);
        long at = frame.At.UtcTicks;
        var ring = _degradedAt.AsSpan(port * n, n);
        ring[_degradedNext[port]] = at;
        _degradedNext[port] = (_degradedNext[port] + 1) % n;
        long window = _options.RepeatedDegradationWindow.Ticks;
        long oldest = ring[_degradedNext[port]];
        if (oldest == 0 || at - oldest > window || (_repeatedRaisedAt[port] != 0 && at - _repeatedRaisedAt[port] <= window))
        {
            return;
        }

        _repeatedRaisedAt[port] = at;
        var evidence = new Evidence[n];
        for (int k = 0; k < n; k++)
        {
            evidence[k] = new Evidence(new DateTimeOffset(ring[(_degradedNext[port] + k) % n], TimeSpan.Zero), id, "degradation_started", k + 1, n);
        }

        string summary = string.Create(
            CultureInfo.InvariantCulture, $"Port {id} degraded {n} times within {_options.RepeatedDegradationWindow.TotalMinutes:0} minutes: a cable or transceiver to replace.");
        sink.Raise(_issuer.Issue(
            _repeated, new ComponentRef(ComponentKind.Port, id), nodeId, new DateTimeOffset(oldest, TimeSpan.Zero), frame.At, summary, evidence, NodeWork.Of(frame, node)));
    }
}
