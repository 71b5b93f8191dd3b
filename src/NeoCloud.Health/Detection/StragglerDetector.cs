using System.Globalization;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// STRAGGLER: compares the GPUs of each gang (same work key) with their peers. A GPU whose SM clock or utilisation is
/// below a fraction of its gang's median for several rounds is a straggler (fail-slow). Grouping is allocation-free: the
/// present, busy GPUs are ordered by work key in preallocated arrays (runs of one key sorted, not single GPUs), and the
/// ordering is reused while the set of busy GPUs and their keys is the same as last round.
/// </summary>
internal sealed class StragglerDetector
{
    private readonly FleetTopology _topology;
    private readonly DetectionOptions _options;
    private readonly FindingIssuer _issuer;
    private readonly FaultCode _code;
    private readonly int[] _nodeOfGpu;

    private int[] _gpus;
    private long[] _keys;
    private int[] _lastGpus;
    private long[] _lastKeys;
    private int _lastCount = -1;
    private readonly int[] _sortedGpus;
    private readonly long[] _sortedKeys;
    private readonly float[] _scratch;
    private readonly long[] _runKeys;
    private readonly int[] _runStarts;
    private readonly int[] _runOrder;

    private readonly bool[] _slow;
    private readonly float[] _medianClock;
    private readonly float[] _medianUtil;
    private readonly int[] _peers;
    private readonly Episode[] _episodes;

    public StragglerDetector(FleetTopology topology, FaultCatalog catalog, DetectionOptions options, FindingIssuer issuer)
    {
        _topology = topology;
        _options = options;
        _issuer = issuer;
        _code = catalog.Get("STRAGGLER");
        int gpus = topology.GpuCount;
        _nodeOfGpu = new int[gpus];
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            _nodeOfGpu.AsSpan(topology.GpuOffsets[n], topology.GpuOffsets[n + 1] - topology.GpuOffsets[n]).Fill(n);
        }

        _gpus = new int[gpus];
        _keys = new long[gpus];
        _lastGpus = new int[gpus];
        _lastKeys = new long[gpus];
        _sortedGpus = new int[gpus];
        _sortedKeys = new long[gpus];
        _scratch = new float[gpus];
        _runKeys = new long[gpus];
        _runStarts = new int[gpus + 1];
        _runOrder = new int[gpus];
        _slow = new bool[gpus];
        _medianClock = new float[gpus];
        _medianUtil = new float[gpus];
        _peers = new int[gpus];
        _episodes = new Episode[gpus];
    }

    public void Observe(SignalFrame frame, IFindingSink sink)
    {
        var samples = frame.Gpus;
        var work = frame.WorkOfGpu;
        int n = 0;
        bool changed = false;
        for (int i = 0; i < samples.Length; i++)
        {
            if (samples[i].Present && work[i] != 0)
            {
                changed |= n >= _lastCount || _lastGpus[n] != i || _lastKeys[n] != work[i];
                _gpus[n] = i;
                _keys[n] = work[i];
                n++;
            }
        }

        if (changed || n != _lastCount)
        {
            Regroup(n);
            (_gpus, _lastGpus) = (_lastGpus, _gpus);
            (_keys, _lastKeys) = (_lastKeys, _keys);
            _lastCount = n;
        }

        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && _sortedKeys[end] == _sortedKeys[start])
            {
                end++;
            }

            Judge(samples, start, end);
            start = end;
        }

        long at = frame.At.UtcTicks;
        for (int i = 0; i < samples.Length; i++)
        {
            if (samples[i].Present && _episodes[i].Step(work[i] != 0 && _slow[i], at, _options.RaiseAfterRounds, _options.ClearAfterRounds))
            {
                Raise(frame, i, sink);
            }
        }
    }

    /// <summary>
    /// Orders the busy GPUs by work key. A gang sits on whole nodes or runs of GPUs, so the GPUs in index order form long
    /// runs of one key: the runs are sorted (a few per node at most) rather than the GPUs, then laid out run by run.
    /// </summary>
    private void Regroup(int n)
    {
        int runs = 0;
        for (int k = 0; k < n; k++)
        {
            if (k == 0 || _keys[k] != _keys[k - 1] || _gpus[k] != _gpus[k - 1] + 1)
            {
                _runKeys[runs] = _keys[k];
                _runStarts[runs] = k;
                runs++;
            }
        }

        _runStarts[runs] = n;
        for (int r = 0; r < runs; r++)
        {
            _runOrder[r] = r;
        }

        _runKeys.AsSpan(0, runs).Sort(_runOrder.AsSpan(0, runs));
        int at = 0;
        for (int r = 0; r < runs; r++)
        {
            int run = _runOrder[r];
            int start = _runStarts[run];
            int length = _runStarts[run + 1] - start;
            _gpus.AsSpan(start, length).CopyTo(_sortedGpus.AsSpan(at));
            _sortedKeys.AsSpan(at, length).Fill(_runKeys[r]);
            at += length;
        }
    }

    private void Judge(GpuSample[] samples, int start, int end)
    {
        var members = _sortedGpus.AsSpan(start, end - start);
        if (members.Length < _options.StragglerMinPeers)
        {
            foreach (int g in members)
            {
                _slow[g] = false;
            }

            return;
        }

        double ratio = _options.StragglerRatio;

        // Nobody can be under a fraction of the median when nobody is under that fraction of the fastest: skip the sorts.
        float minClock = float.MaxValue, maxClock = float.MinValue, minUtil = float.MaxValue, maxUtil = float.MinValue;
        foreach (int g in members)
        {
            minClock = Math.Min(minClock, samples[g].SmClockMhz);
            maxClock = Math.Max(maxClock, samples[g].SmClockMhz);
            minUtil = Math.Min(minUtil, samples[g].UtilPercent);
            maxUtil = Math.Max(maxUtil, samples[g].UtilPercent);
        }

        if (minClock >= ratio * maxClock && minUtil >= ratio * maxUtil)
        {
            foreach (int g in members)
            {
                _slow[g] = false;
            }

            return;
        }

        float clock = Median(samples, members, utilisation: false);
        float util = Median(samples, members, utilisation: true);
        foreach (int g in members)
        {
            _slow[g] = samples[g].SmClockMhz < ratio * clock || samples[g].UtilPercent < ratio * util;
            _medianClock[g] = clock;
            _medianUtil[g] = util;
            _peers[g] = members.Length;
        }
    }

    private float Median(GpuSample[] samples, ReadOnlySpan<int> members, bool utilisation)
    {
        var values = _scratch.AsSpan(0, members.Length);
        for (int k = 0; k < members.Length; k++)
        {
            values[k] = utilisation ? samples[members[k]].UtilPercent : samples[members[k]].SmClockMhz;
        }

        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private void Raise(SignalFrame frame, int gpu, IFindingSink sink)
    {
        string id = _topology.Gpus[gpu].Id.Value;
        ref readonly var s = ref frame.Gpus[gpu];
        double ratio = _options.StragglerRatio;
        var evidence = new Evidence[]
        {
            new(frame.At, id, "sm_clock_mhz", s.SmClockMhz, ratio * _medianClock[gpu]),
            new(frame.At, id, "gang_median_sm_clock_mhz", _medianClock[gpu]),
            new(frame.At, id, "util_percent", s.UtilPercent, ratio * _medianUtil[gpu]),
            new(frame.At, id, "gang_median_util_percent", _medianUtil[gpu]),
            new(frame.At, id, "clock_event_reasons", s.ClockEventReasons),
        };
        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"GPU {id} runs at {s.SmClockMhz:0} MHz and {s.UtilPercent:0}% while the median of its {_peers[gpu]}-GPU gang is {_medianClock[gpu]:0} MHz and {_medianUtil[gpu]:0}%, for {_options.RaiseAfterRounds} rounds.");
        sink.Raise(_issuer.Issue(
            _code, new ComponentRef(ComponentKind.Gpu, id), _topology.Nodes[_nodeOfGpu[gpu]].Id.Value,
            new DateTimeOffset(_episodes[gpu].FirstOverTicks, TimeSpan.Zero), frame.At, summary, evidence, frame.WorkOfGpu[gpu]));
    }
}
