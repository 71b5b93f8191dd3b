namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// A time-bounded mute: while <c>StartsAt &lt;= now &lt; EndsAt</c> it mutes every alert that all its matchers match.
/// An expired (or not yet started) silence mutes nothing.
/// </summary>
public sealed record Silence(string Id, IReadOnlyList<Matcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
{
    public string CreatedBy { get; init; } = string.Empty;

    public string Comment { get; init; } = string.Empty;

    public bool IsActiveAt(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    public bool Mutes(Alert alert, DateTimeOffset now) =>
        IsActiveAt(now) && Matchers.Count > 0 && Matchers.All(m => m.Matches(alert));

    /// <summary>The silence ended at <paramref name="now"/>, as Alertmanager's expire does.</summary>
    public Silence ExpiredAt(DateTimeOffset now) => this with { EndsAt = now < StartsAt ? StartsAt : now };
}
