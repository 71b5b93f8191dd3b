using NeoCloud.Health.Signals;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Anomalies;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// Watches each node's hottest GPU against its own seasonal baseline, from every telemetry round Health runs: a node
/// that runs hotter than usual for its hour is recorded as a <c>METRIC-ANOMALY</c> Health finding and raised as an
/// info-level <c>metric-anomaly</c> alert — typically hours before the thermal-slowdown threshold trips. The baseline
/// needs <see cref="AnomalyWatchOptions.Seasons"/> days of history before it says anything.
/// </summary>
public sealed class AnomalyFeed(AnomalyWatch watch, IHealthStore? store, ILogger<AnomalyFeed> logger) : IAlertSource
{
    /// <summary>The metric watched per node.</summary>
    public const string GpuTemperature = "gpu_temp_max_celsius";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _labels = new(StringComparer.Ordinal);

    /// <summary>Takes one filled frame: each answering node's hottest present GPU.</summary>
    public async Task ObserveAsync(SignalFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var topology = frame.Topology;
        List<(Anomaly Anomaly, string Node)>? raised = null;
        lock (_gate)
        {
            for (int n = 0; n < topology.Nodes.Count; n++)
            {
                if (!frame.NodeAnswered[n] || frame.NodeInMaintenance[n])
                {
                    continue;
                }

                float hottest = float.NaN;
                for (int g = topology.GpuOffsets[n]; g < topology.GpuOffsets[n + 1]; g++)
                {
                    if (frame.Gpus[g].Present && !(frame.Gpus[g].GpuTempC <= hottest))
                    {
                        hottest = frame.Gpus[g].GpuTempC;
                    }
                }

                if (float.IsNaN(hottest))
                {
                    continue;
                }

                var node = topology.Nodes[n];
                string id = node.Id.ToString();
                if (!_labels.TryGetValue(id, out var labels))
                {
                    labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["node"] = id, ["site"] = node.Site.ToString(), ["rack"] = node.Rack.ToString() };
                    _labels.Add(id, labels);
                }

                if (watch.Observe(GpuTemperature, id, labels, frame.At, hottest) is { } anomaly)
                {
                    (raised ??= []).Add((anomaly, id));
                }
            }
        }

        foreach (var (anomaly, node) in raised ?? [])
        {
            var finding = AnomalyFindings.ToFinding(anomaly, node);
            if (store is not null)
            {
                await store.AppendFindingsAsync([finding], cancellationToken);
            }

            lock (_gate)
            {
                watch.Recorded(anomaly, node, finding.Id);
            }

            logger.LogWarning("{Summary} ({Finding})", finding.Summary, finding.Id);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Alert> Alerts(DateTimeOffset now)
    {
        lock (_gate)
        {
            return watch.Alerts(now);
        }
    }
}
