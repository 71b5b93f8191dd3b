using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// A run as a <see cref="StoredRecord"/> of kind <c>runbook-run</c>: Status is its state (<c>awaiting-approval</c>),
/// Label its runbook, Body the run as JSON.
/// </summary>
public static class RunbookRunCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>A state as records, the API and the CLI spell it: <c>awaiting-approval</c>.</summary>
    public static string StateName(RunbookRunState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    public static bool TryParseState(string? text, out RunbookRunState state)
    {
        foreach (var candidate in Enum.GetValues<RunbookRunState>())
        {
            if (string.Equals(StateName(candidate), text, StringComparison.OrdinalIgnoreCase) || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static StoredRecord ToRecord(RunbookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new StoredRecord(ReliabilityRecordKinds.RunbookRun, run.Id, run.Version, StateName(run.State), run.Runbook, run.CreatedAt, run.UpdatedAt,
            JsonSerializer.Serialize(run, Json));
    }

    public static RunbookRun FromRecord(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var run = JsonSerializer.Deserialize<RunbookRun>(record.Body, Json)
            ?? throw new InvalidDataException($"Runbook run record '{record.Id}' has an empty body.");

        // The record's version is the one optimistic concurrency checks; the body's copy is only informative.
        return run with { Version = record.Version };
    }
}
