namespace NeoCloud.Cli.Output;

/// <summary>A kind of resource <c>neoctl get</c> lists: where it lives in the API, which filters it takes and which columns its table shows.</summary>
internal sealed record ResourceKind(string Name, string Alias, string Path, bool Paged, IReadOnlyList<string> Filters, IReadOnlyList<Column> Columns)
{
    public static IReadOnlyList<ResourceKind> All { get; } =
    [
        new("nodes", "node", "/api/v1/nodes", Paged: true, ["state", "health", "region", "site", "rack", "sku"],
            [new("NAME", "id"), new("SITE", "site"), new("RACK", "rack"), new("SKU", "sku"), new("GPUS", "gpuCount"), new("STATE", "state"), new("HEALTH", "health")]),
        new("gpus", "gpu", "/api/v1/gpus", Paged: true, ["state", "health", "node", "site", "sku"],
            [new("NAME", "id"), new("SKU", "sku"), new("STATE", "state"), new("HEALTH", "health"), new("UUID", "uuid")]),
        new("regions", "region", "/api/v1/regions", Paged: false, [],
            [new("NAME", "id"), new("DISPLAY NAME", "displayName")]),
        new("sites", "site", "/api/v1/sites", Paged: false, ["region"],
            [new("NAME", "id"), new("REGION", "region"), new("OWNERSHIP", "ownership"), new("OPERATOR", "operator"), new("OEM", "oem")]),
        new("racks", "rack", "/api/v1/racks", Paged: false, ["site"],
            [new("NAME", "id"), new("SITE", "site"), new("POD", "pod")]),
    ];
}
