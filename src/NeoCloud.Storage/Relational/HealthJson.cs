using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The Health records as JSON documents, with the conventions of the workload spec's canonical JSON (camelCase names,
/// enums by camelCase name, compact). Computed properties (a run's <c>Action</c>, <c>IsFinished</c>) are left out: they
/// follow from the stored ones. NaN and infinities are kept, so a sample's value survives whatever it was.
/// </summary>
internal static class HealthJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        IgnoreReadOnlyProperties = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    public static string Write<T>(T record) => JsonSerializer.Serialize(record, Options);

    /// <summary>Reads a stored document; a damaged one is an error naming the record.</summary>
    public static T Read<T>(string json, string id)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new JsonException("the document is 'null'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The stored {typeof(T).Name} '{id}' is not a readable document: {e.Message}", e);
        }
    }
}
