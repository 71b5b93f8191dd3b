namespace NeoCloud.Reliability.Slos;

/// <summary>
/// Indicators NeoCloud knows by name, over metrics its own host exports, so an SLO on the control plane needs no query.
/// </summary>
internal static class BuiltInSlis
{
    private static readonly Dictionary<string, SliIndicator> ByName = new(StringComparer.Ordinal)
    {
        // prometheus-net's HTTP middleware (UseHttpMetrics) counts every request of the API host by status code.
        ["api-availability"] = SliIndicator.Ratio(
            good: null,
            bad: """sum(rate(http_requests_received_total{code=~"5.."}[{{.window}}]))""",
            total: "sum(rate(http_requests_received_total[{{.window}}]))",
            builtIn: "api-availability"),
    };

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    public static SliIndicator? Find(string name) => ByName.GetValueOrDefault(name);
}
