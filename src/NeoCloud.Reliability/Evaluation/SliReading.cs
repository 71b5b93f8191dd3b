namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// What one SLO's queries gave for the bucket ending at <see cref="End"/>: the events recorded, or why none were
/// (<see cref="Error"/>: an HTTP failure, a query error, an empty or NaN result).
/// </summary>
public sealed record SliReading(string Slo, DateTimeOffset End, long Good, long Total, string? Error)
{
    public bool Succeeded => Error is null;
}
