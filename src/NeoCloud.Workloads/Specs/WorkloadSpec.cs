using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Specs;

/// <summary>A validated job or service spec: who owns it, where it queues, what each replica needs and what it runs.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(JobSpec), "Job")]
[JsonDerivedType(typeof(ServiceSpec), "Service")]
public abstract record WorkloadSpec(
    string Name,
    TenantId Tenant,
    QueueId Queue,
    ReplicaResources Resources,
    PriorityClass PriorityClass,
    RunSpec Run)
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new TypedIdConverter<TenantId>(s => new(s), t => t.Value), new TypedIdConverter<QueueId>(s => new(s), q => q.Value) },
        WriteIndented = false,
    };

    /// <summary>
    /// The spec as compact JSON in a fixed property order: what the store keeps, and what decides whether a resubmission
    /// with the same idempotency key is the same spec.
    /// </summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(this, Canonical);

    /// <summary>Reads back what <see cref="ToCanonicalJson"/> wrote.</summary>
    public static WorkloadSpec FromCanonicalJson(string json) =>
        JsonSerializer.Deserialize<WorkloadSpec>(json, Canonical)
        ?? throw new JsonException("A workload spec's JSON is 'null'.");

    private sealed class TypedIdConverter<T>(Func<string, T> create, Func<T, string> value) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            create(reader.GetString() ?? throw new JsonException($"A {typeof(T).Name} must be a string."));

        public override void Write(Utf8JsonWriter writer, T value1, JsonSerializerOptions options) => writer.WriteStringValue(value(value1));
    }
}
