namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// A node of the routing tree: which alerts it takes (matchers), how it groups them (group_by; <c>...</c> groups by every
/// label) and how often the group may notify. Defaults are Alertmanager's: group_wait 30s, group_interval 5m,
/// repeat_interval 4h. An alert goes to the first matching child (and on to later ones while a matched child has
/// <see cref="Continue"/>); when no child matches, the node itself takes it.
/// </summary>
public sealed record Route(string Receiver)
{
    /// <summary>The group_by value that groups by all labels, so that every distinct alert is its own group.</summary>
    public const string AllLabels = "...";

    public IReadOnlyList<Matcher> Matchers { get; init; } = [];

    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GroupInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    public bool Continue { get; init; }

    public IReadOnlyList<Route> Routes { get; init; } = [];

    public bool Takes(Alert alert) => Matchers.All(m => m.Matches(alert));
}
