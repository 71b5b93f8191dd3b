namespace NeoCloud.Reliability.Operations;

/// <summary>How the engine closes incidents on its own.</summary>
public sealed record ReliabilityEngineOptions
{
    /// <summary>An incident whose alerts have all ended stays open this long, so a flapping alert rejoins it instead of opening another.</summary>
    public TimeSpan ResolveAfterQuiet { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Ended alerts are remembered this long (for incidents that still name them).</summary>
    public TimeSpan ForgetResolvedAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The actor the engine's own incident changes are recorded under.</summary>
    public string Actor { get; init; } = "automation:reliability";
}
