namespace NeoCloud.Reliability.Slos;

/// <summary>
/// One indicator NeoCloud measures from its own events: what its good events and all its events count, and whether it
/// takes a latency threshold (<c>builtIn: { name: api-latency, threshold: 500ms }</c>).
/// </summary>
public sealed record BuiltInSli(string Name, string Good, string Total, bool TakesThreshold)
{
    /// <summary>One line for docs and the API: good over total.</summary>
    public string Description => $"good: {Good}; total: {Total}";
}
