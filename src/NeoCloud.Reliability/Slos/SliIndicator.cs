namespace NeoCloud.Reliability.Slos;

/// <summary>
/// An SLO's indicator as Prometheus queries. Queries may use <c>{{.window}}</c> where the range goes; it is replaced by
/// every window the rules need (Sloth's convention). A ratio has <see cref="Total"/> and exactly one of <see cref="Good"/>
/// or <see cref="Bad"/>; a threshold has <see cref="Value"/>.
/// </summary>
public sealed record SliIndicator(SliKind Kind, string? Good, string? Bad, string? Total, string? Value, string? BuiltIn)
{
    /// <summary>The latency a built-in latency SLI counts as good up to (inclusive); null for every other indicator.</summary>
    public TimeSpan? LatencyThreshold { get; init; }

    public static SliIndicator Ratio(string? good, string? bad, string total, string? builtIn = null) => new(SliKind.Ratio, good, bad, total, null, builtIn);

    public static SliIndicator Threshold(string value) => new(SliKind.Threshold, null, null, null, value, null);
}
