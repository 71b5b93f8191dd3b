using NeoCloud.Fleet.Store;
using NeoCloud.Server.Json;

namespace NeoCloud.Server.Fleet;

/// <summary>Counts of the fleet's nodes by state, health, site and SKU: the dashboard's overview and the node gauge's source.</summary>
public sealed record FleetSummary(
    int Nodes,
    int Gpus,
    IReadOnlyDictionary<string, int> ByState,
    IReadOnlyDictionary<string, int> ByHealth,
    IReadOnlyDictionary<string, int> BySite,
    IReadOnlyDictionary<string, int> BySku)
{
    private const int PageSize = 1000;

    /// <summary>Walks every node once, a page at a time; IFleetStore has no aggregate query yet, and a fleet of thousands is cheap to walk.</summary>
    public static async Task<FleetSummary> ComputeAsync(IFleetStore store, CancellationToken cancellationToken)
    {
        var byState = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byHealth = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bySite = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bySku = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int nodes = 0;
        int gpus = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListNodesAsync(new NodeQuery(Limit: PageSize, Cursor: cursor), cancellationToken);
            foreach (var node in page.Items)
            {
                nodes++;
                gpus += node.GpuCount;
                Increment(byState, WireNames.Of(node.State));
                Increment(byHealth, WireNames.Of(node.Health));
                Increment(bySite, node.Site.Value);
                Increment(bySku, node.Sku);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return new FleetSummary(nodes, gpus, byState, byHealth, bySite, bySku);
    }

    private static void Increment(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
