using System.Globalization;
using System.Text;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Server.Workloads;

/// <summary>The queue a fresh install starts with, so a first job can be submitted before anyone declares quotas.</summary>
internal static class DefaultQueues
{
    public const string Tenant = "default";
    public const string Queue = "default";
    public const string Cohort = "default";

    /// <summary>A cohort and one queue whose nominal quota is every GPU of the fleet, per model.</summary>
    public static string Manifest(FleetTopology fleet)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            apiVersion: neocloud.dev/v1
            kind: Cohort
            metadata: { name: {{Cohort}} }
            ---
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: {{Queue}} }
            spec:
              tenant: {{Tenant}}
              cohort: {{Cohort}}
              quotas:

            """);
        foreach (var group in fleet.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    - {{ flavour: {group.Key}, nominal: {group.Sum(n => n.GpuCount)} }}");
        }

        return text.ToString();
    }
}
