using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// HEARTBEAT-MISSING: a node that answered at least once and then missed several rounds in a row. The episode's onset is
/// the first missed round; it ends when the node answers again. A node in planned maintenance (remediation is
/// rebooting it) is expected to be silent: its missed rounds are not counted.
/// </summary>
internal sealed class HeartbeatDetector(FleetTopology topology, FaultCatalog catalog, DetectionOptions options, FindingIssuer issuer)
{
    private readonly FaultCode _code = catalog.Get("HEARTBEAT-MISSING");
    private readonly bool[] _everAnswered = new bool[topology.Nodes.Count];
    private readonly long[] _lastAnsweredTicks = new long[topology.Nodes.Count];
    private readonly int[] _missed = new int[topology.Nodes.Count];
    private readonly long[] _firstMissTicks = new long[topology.Nodes.Count];
    private readonly bool[] _active = new bool[topology.Nodes.Count];

    public void Observe(SignalFrame frame, IFindingSink sink)
    {
        long at = frame.At.UtcTicks;
        var answered = frame.NodeAnswered;
        var maintenance = frame.NodeInMaintenance;
        for (int n = 0; n < answered.Length; n++)
        {
            if (answered[n] || maintenance[n])
            {
                _everAnswered[n] = true;
                _lastAnsweredTicks[n] = at;
                _missed[n] = 0;
                _active[n] = false;
                continue;
            }

            if (!_everAnswered[n] || _active[n])
            {
                continue;
            }

            if (++_missed[n] == 1)
            {
                _firstMissTicks[n] = at;
            }

            if (_missed[n] >= options.HeartbeatMissedRounds)
            {
                _active[n] = true;
                Raise(frame, n, sink);
            }
        }
    }

    private void Raise(SignalFrame frame, int node, IFindingSink sink)
    {
        string id = topology.Nodes[node].Id.Value;
        var lastAnswer = new DateTimeOffset(_lastAnsweredTicks[node], TimeSpan.Zero);
        var evidence = new Evidence[]
        {
            new(lastAnswer, id, "answered", 1),
            new(frame.At, id, "answered", 0),
            new(frame.At, id, "missed_rounds", _missed[node], options.HeartbeatMissedRounds),
        };
        string summary = $"Node {id} has not answered for {_missed[node]} rounds (last answer at {lastAnswer:O}).";
        sink.Raise(issuer.Issue(
            _code, new ComponentRef(ComponentKind.Node, id), id, new DateTimeOffset(_firstMissTicks[node], TimeSpan.Zero), frame.At, summary, evidence,
            NodeWork.Of(frame, node)));
    }
}
