using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NeoCloud.Health.Findings;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Reliability.Anomalies;

/// <summary>Records a node's anomaly as a Health finding (<c>METRIC-ANOMALY</c>), so it is listed with every other finding.</summary>
public static class AnomalyFindings
{
    public const string Code = "METRIC-ANOMALY";

    /// <summary>
    /// The finding for <paramref name="anomaly"/> on <paramref name="node"/>. Its id is derived from the metric, node and
    /// onset, so recording the same anomaly twice (a retried round) stores one finding.
    /// </summary>
    public static Finding ToFinding(Anomaly anomaly, string node)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{anomaly.Metric}|{node}|{anomaly.Since.UtcTicks}")));
        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{anomaly.Metric} on {node} is {anomaly.Direction.ToString().ToLowerInvariant()} its seasonal baseline: {anomaly.Value:0.##} where {anomaly.Expected:0.##} is usual (score {anomaly.Score:0.0})");
        return new Finding(
            SortableId.Format("fnd", anomaly.At, digest.AsSpan(0, 10)),
            Code,
            new ComponentRef(ComponentKind.Node, node),
            Severity.Warning,
            false,
            anomaly.Since,
            anomaly.At,
            summary,
            [new Evidence(anomaly.At, node, anomaly.Metric, anomaly.Value, anomaly.Expected)])
        {
            Node = node,
        };
    }
}
