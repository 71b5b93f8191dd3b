namespace NeoCloud.Server.Reliability.Slos;

/// <summary>How the regional controller keeps its SLOs (section <c>NeoCloud:Slos</c>).</summary>
public sealed class SloOptions
{
    public const string Section = "NeoCloud:Slos";

    /// <summary>The bucket events are counted in; every burn-rate window must be a whole number of them (1 minute: 1 MB per 30-day SLO).</summary>
    public TimeSpan Bucket { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often every SLO is evaluated (and Prometheus SLIs polled).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A directory of <c>kind: SLO</c> files (and <c>kind: ErrorBudgetPolicy</c> files) read at start; none by default.</summary>
    public string? Path { get; set; }

    /// <summary>Declare the built-in SLOs of the control plane itself (API, job start and success, GPU-node availability, goodput) at start.</summary>
    public bool BuiltInCatalogue { get; set; } = true;

    /// <summary>A Prometheus-compatible endpoint that SLOs with query indicators are read from; none by default.</summary>
    public Uri? PrometheusUrl { get; set; }
}
