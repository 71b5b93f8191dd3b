namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// Mutes target alerts while a source alert fires: a target that the target matchers match is muted when some firing
/// source alert (matched by the source matchers) has the same values for every <see cref="Equal"/> label (an absent label
/// counts as empty on both sides).
/// </summary>
public sealed record InhibitRule(IReadOnlyList<Matcher> SourceMatchers, IReadOnlyList<Matcher> TargetMatchers, IReadOnlyList<string> Equal)
{
    public bool IsSource(Alert alert) => SourceMatchers.All(m => m.Matches(alert));

    public bool IsTarget(Alert alert) => TargetMatchers.All(m => m.Matches(alert));

    /// <summary>
    /// Whether <paramref name="source"/> mutes <paramref name="target"/>. An alert never mutes itself, so a rule whose two
    /// sides overlap does not silence the very alert that explains the trouble.
    /// </summary>
    public bool Inhibits(Alert source, Alert target) =>
        source.Fingerprint != target.Fingerprint
        && IsSource(source)
        && IsTarget(target)
        && Equal.All(label => source[label] == target[label]);
}
