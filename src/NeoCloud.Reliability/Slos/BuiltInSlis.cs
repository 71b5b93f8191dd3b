using System.Globalization;

namespace NeoCloud.Reliability.Slos;

/// <summary>
/// Indicators NeoCloud knows by name, counted by its own host from its own events into one Prometheus counter,
/// <c>neocloud_sli_events_total{sli, neocloud_tenant, result="good|bad"}</c> (plus <c>threshold</c> for latency SLIs), so an
/// SLO on the control plane needs no query and still exports to Prometheus rules.
/// </summary>
public static class BuiltInSlis
{
    public const string Counter = "neocloud_sli_events_total";
    public const string SliLabel = "sli";
    public const string ResultLabel = "result";
    public const string TenantLabel = "neocloud_tenant";
    public const string ThresholdLabel = "threshold";

    public const string ApiAvailability = "api-availability";
    public const string ApiLatency = "api-latency";
    public const string JobStartLatency = "job-start-latency";
    public const string JobSuccess = "job-success";
    public const string GpuNodeAvailability = "gpu-node-availability";
    public const string TrainingGoodput = "training-goodput";

    private static readonly Dictionary<string, BuiltInSli> ByName = new BuiltInSli[]
    {
        new(ApiAvailability, "API requests answered without a server error (any status but 5xx)", "API requests answered", TakesThreshold: false),
        new(ApiLatency, "API requests answered within the threshold", "API requests answered", TakesThreshold: true),
        new(JobStartLatency, "jobs running within the threshold of their admission", "jobs admitted that started or waited past the threshold", TakesThreshold: true),
        new(JobSuccess, "jobs that ended without an infrastructure failure (user errors are left out of both counts)", "jobs that ended, except those failed by user error", TakesThreshold: false),
        new(GpuNodeAvailability, "node-minutes of nodes allocated to the tenant while healthy", "node-minutes of nodes allocated to the tenant", TakesThreshold: false),
        new(TrainingGoodput, "productive GPU-seconds (training steps that were kept, not lost to restarts or stalls)", "GPU-seconds allocated to training jobs", TakesThreshold: false),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Every built-in SLI's name, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every built-in SLI, by name order.</summary>
    public static IReadOnlyList<BuiltInSli> All { get; } = [.. Names.Select(n => ByName[n])];

    public static BuiltInSli? Describe(string name) => ByName.GetValueOrDefault(name);

    /// <summary>
    /// The indicator of a built-in SLI for an SLO of <paramref name="tenant"/> (null: the whole region) as queries on the
    /// counter; null for an unknown name. A latency SLI needs its threshold, which becomes the series' <c>threshold</c> label.
    /// </summary>
    public static SliIndicator? Find(string name, string? tenant = null, TimeSpan? threshold = null)
    {
        if (!ByName.TryGetValue(name, out var sli) || sli.TakesThreshold != threshold.HasValue)
        {
            return null;
        }

        string extra = "";
        if (threshold is { } t)
        {
            extra += $",{ThresholdLabel}=\"{FormatThreshold(t)}\"";
        }

        if (tenant is not null)
        {
            extra += $",{TenantLabel}=\"{tenant.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        }

        return SliIndicator.Ratio(
            good: null,
            bad: $"sum(rate({Counter}{{{SliLabel}=\"{name}\",{ResultLabel}=\"bad\"{extra}}}[{{{{.window}}}}]))",
            total: $"sum(rate({Counter}{{{SliLabel}=\"{name}\"{extra}}}[{{{{.window}}}}]))",
            builtIn: name) with { LatencyThreshold = threshold };
    }

    /// <summary>The threshold as its label value: whole seconds as Prometheus durations (<c>2s</c>, <c>1m</c>), else milliseconds (<c>500ms</c>).</summary>
    public static string FormatThreshold(TimeSpan threshold)
    {
        if (threshold.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return ((long)threshold.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        long seconds = (long)threshold.TotalSeconds;
        return seconds switch
        {
            _ when seconds % 3600 == 0 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h",
            _ when seconds % 60 == 0 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m",
            _ => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        };
    }
}
