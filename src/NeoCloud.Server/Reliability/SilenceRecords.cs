using System.Text.Json;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Reliability;

/// <summary>A silence as a store record: kind <c>manifest</c>, id <c>Silence/&lt;id&gt;</c>, its matchers in Alertmanager's text form.</summary>
internal static class SilenceRecords
{
    public const string IdPrefix = "Silence/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StoredRecord ToRecord(Silence silence, long version, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new(
        ReliabilityRecordKinds.Manifest,
        IdPrefix + silence.Id,
        version,
        "silence",
        silence.CreatedBy,
        createdAt,
        updatedAt,
        JsonSerializer.Serialize(
            new Body(silence.Id, [.. silence.Matchers.Select(m => m.ToString())], silence.StartsAt, silence.EndsAt, silence.CreatedBy, silence.Comment), Json));

    /// <exception cref="InvalidDataException">The body is not a silence this host wrote.</exception>
    public static Silence FromRecord(StoredRecord record)
    {
        try
        {
            var body = JsonSerializer.Deserialize<Body>(record.Body, Json)
                ?? throw new InvalidDataException($"Silence record {record.Id} has an empty body.");
            return new Silence(body.Id, [.. body.Matchers.Select(Matcher.Parse)], body.StartsAt, body.EndsAt)
            {
                CreatedBy = body.CreatedBy ?? string.Empty,
                Comment = body.Comment ?? string.Empty,
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"Silence record {record.Id} cannot be read: {ex.Message}", ex);
        }
    }

    private sealed record Body(string Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? CreatedBy, string? Comment);
}
