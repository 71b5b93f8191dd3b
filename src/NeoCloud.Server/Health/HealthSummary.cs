using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;

namespace NeoCloud.Server.Health;

/// <summary>Median and 95th percentile of a set of durations in seconds (null when the set is empty).</summary>
public sealed record Percentiles(int Count, double? P50, double? P95)
{
    public static Percentiles Of(List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return new Percentiles(0, null, null);
        }

        values.Sort();
        return new Percentiles(values.Count, Rank(values, 0.50), Rank(values, 0.95));
    }

    // Nearest rank: a value that was really observed, as on-call dashboards show it.
    private static double Rank(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// What <c>GET /api/v1/health/summary</c> and <c>neoctl health</c> show: findings by code and active runs by step over a
/// window, open breakers, recent pages, detection delay (detected − first seen) and time to return (a run finished as
/// returned or RMA − its creation).
/// </summary>
public sealed record HealthSummary(
    bool Running,
    string? Unavailable,
    DateTimeOffset Since,
    IReadOnlyDictionary<string, int> FindingsByCode,
    IReadOnlyDictionary<string, int> ActiveRunsByStep,
    IReadOnlyCollection<string> OpenBreakers,
    IReadOnlyList<OnCallPage> RecentPages,
    Percentiles DetectionDelaySeconds,
    Percentiles TimeToReturnSeconds,
    bool Truncated)
{
    /// <summary>At most this many findings and runs are read for one summary; beyond, <see cref="Truncated"/> is set.</summary>
    public const int MaxRecords = 20_000;

    public static async Task<HealthSummary> ComputeAsync(HealthRuntime runtime, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var store = runtime.Store ?? throw new HealthUnavailableException(runtime.Unavailable ?? "no health store is registered");
        var byCode = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var delays = new List<double>();
        bool truncated = false;
        string? cursor = null;
        do
        {
            var page = await store.ListFindingsAsync(new FindingQuery(Since: since, Limit: 1000, Cursor: cursor), cancellationToken);
            foreach (var finding in page.Items)
            {
                byCode[finding.Code] = byCode.GetValueOrDefault(finding.Code) + 1;
                delays.Add(Math.Max(0, (finding.DetectedAt - finding.FirstSeenAt).TotalSeconds));
            }

            cursor = page.NextCursor;
            truncated = cursor is not null && delays.Count >= MaxRecords;
        }
        while (cursor is not null && !truncated);

        var bySteps = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in await store.ListActiveRunsAsync(cancellationToken))
        {
            string step = Json.WireNames.Of(run.Step);
            bySteps[step] = bySteps.GetValueOrDefault(step) + 1;
        }

        var returns = new List<double>();
        int seen = 0;
        cursor = null;
        do
        {
            var page = await store.ListRunsAsync(new RunQuery(Active: false, Limit: 1000, Cursor: cursor), cancellationToken);
            bool older = false;
            foreach (var run in page.Items)
            {
                seen++;
                if (run.CreatedAt < since)
                {
                    // Newest first: everything after this one is older still.
                    older = true;
                    break;
                }

                if (run is { Step: RemediationStep.Returned or RemediationStep.Rma, FinishedAt: { } finished })
                {
                    returns.Add(Math.Max(0, (finished - run.CreatedAt).TotalSeconds));
                }
            }

            cursor = older ? null : page.NextCursor;
            if (cursor is not null && seen >= MaxRecords)
            {
                truncated = true;
                cursor = null;
            }
        }
        while (cursor is not null);

        return new HealthSummary(
            runtime.Unavailable is null, runtime.Unavailable, since, byCode, bySteps, runtime.OpenBreakers, runtime.Pager.Recent(),
            Percentiles.Of(delays), Percentiles.Of(returns), truncated);
    }
}
