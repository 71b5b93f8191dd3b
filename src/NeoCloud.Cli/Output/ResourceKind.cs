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
        new("jobs", "job", "/api/v1/jobs", Paged: true, ["tenant", "queue", "state", "name"],
            [new("NAME", "id"), new("JOB", "name"), new("TENANT", "tenant"), new("QUEUE", "queue"), new("STATE", "state"), new("ATTEMPT", "attempt"), new("ESTIMATED START", "estimatedStart"), new("REASON", "lastReason")]),
        new("queues", "queue", "/api/v1/queues", Paged: false, ["tenant"],
            [new("NAME", "name"), new("TENANT", "tenant"), new("COHORT", "cohort"), new("PENDING", "pending"), new("RUNNING", "running"), new("SHARE", "dominantShare"), new("OLDEST WAIT", "oldestWait")]),
        new("tenants", "tenant", "/api/v1/tenants", Paged: false, [],
            [new("NAME", "name"), new("QUEUES", "queues"), new("PENDING", "pending"), new("RUNNING", "running")]),
        new("regions", "region", "/api/v1/regions", Paged: false, [],
            [new("NAME", "id"), new("DISPLAY NAME", "displayName")]),
        new("sites", "site", "/api/v1/sites", Paged: false, ["region"],
            [new("NAME", "id"), new("REGION", "region"), new("OWNERSHIP", "ownership"), new("OPERATOR", "operator"), new("OEM", "oem")]),
        new("racks", "rack", "/api/v1/racks", Paged: false, ["site"],
            [new("NAME", "id"), new("SITE", "site"), new("POD", "pod")]),
    ];
}
