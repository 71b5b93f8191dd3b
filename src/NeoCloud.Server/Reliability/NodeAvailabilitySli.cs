using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// <see cref="SliEvents.GpuNodeAvailability"/> per tenant, once per telemetry collection round: of the nodes allocated to
/// the tenant's running work, those without a firing alert are good. A node shared by two tenants counts for both.
/// </summary>
public sealed class NodeAvailabilitySli(JobController jobs, SliEvents sli)
{
    /// <summary>Records <paramref name="rounds"/> rounds' worth of events at <paramref name="at"/> (nothing when no round happened).</summary>
    public async Task RecordAsync(IReadOnlySet<string> unhealthyNodes, DateTimeOffset at, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unhealthyNodes);
        if (rounds <= 0)
        {
            return;
        }

        var placed = await jobs.ListPlacedAsync(cancellationToken);
        foreach (var tenant in placed.Where(j => j.State == JobState.Running).GroupBy(j => j.Tenant.Value, StringComparer.Ordinal))
        {
            var nodes = tenant.SelectMany(j => j.Placement).Select(p => p.Node.Value).Distinct(StringComparer.Ordinal).ToList();
            long healthy = nodes.Count(n => !unhealthyNodes.Contains(n));
            sli.Record(SliEvents.GpuNodeAvailability, tenant.Key, at, healthy * rounds, (long)nodes.Count * rounds);
        }
    }
}
