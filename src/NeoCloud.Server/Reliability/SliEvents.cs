using NeoCloud.Reliability.Slos;
using NeoCloud.Server.Observability;
using Prometheus;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// The host's built-in SLI events: each is counted on <c>neocloud_sli_events_total{sli,neocloud_tenant,result}</c> (so
/// exported burn-rate rules can read them) and handed to every other registered <see cref="ISliSink"/> (the SLO book).
/// </summary>
public sealed class SliEvents : ISliSink
{
    public const string ApiAvailability = "api-availability";
    public const string ApiLatency = "api-latency";
    public const string JobStartLatency = "job-start-latency";
    public const string JobSuccess = "job-success";
    public const string GpuNodeAvailability = "gpu-node-availability";
    public const string TrainingGoodput = "training-goodput";

    /// <summary>A request answered within this is good for <see cref="ApiLatency"/>.</summary>
    public static readonly TimeSpan ApiLatencyThreshold = TimeSpan.FromMilliseconds(500);

    /// <summary>A job running within this of its admission is good for <see cref="JobStartLatency"/>.</summary>
    public static readonly TimeSpan JobStartThreshold = TimeSpan.FromMinutes(10);

    private readonly Counter _events;
    private readonly IReadOnlyList<ISliSink> _sinks;
    private readonly ILogger<SliEvents> _logger;

    public SliEvents(FleetMetrics host, IEnumerable<ISliSink> sinks, ILogger<SliEvents> logger)
    {
        ArgumentNullException.ThrowIfNull(host);
        _events = host.Factory.CreateCounter(
            "neocloud_sli_events_total", "Service-level indicator events from NeoCloud's own work, by SLI, tenant (empty for the region) and result.",
            new CounterConfiguration { LabelNames = ["sli", "neocloud_tenant", "result"] });
        _sinks = [.. sinks.Where(s => !ReferenceEquals(s, this))];
        _logger = logger;
    }

    /// <summary>Counts <paramref name="good"/> good and <paramref name="total"/> − good bad events and forwards them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">good is negative or above total.</exception>
    public void Record(string sli, string? tenant, DateTimeOffset at, long good, long total)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sli);
        if (good < 0 || total < good)
        {
            throw new ArgumentOutOfRangeException(nameof(good), $"SLI {sli}: {good} good of {total} events is impossible.");
        }

        if (total == 0)
        {
            return;
        }

        string who = tenant ?? "";
        if (good > 0)
        {
            _events.WithLabels(sli, who, "good").Inc(good);
        }

        if (total > good)
        {
            _events.WithLabels(sli, who, "bad").Inc(total - good);
        }

        foreach (var sink in _sinks)
        {
            try
            {
                sink.Record(sli, tenant, at, good, total);
            }
            catch (Exception ex)
            {
                // A faulty SLO book must not fail the request or the job transition that produced the event.
                _logger.LogError(ex, "SLI sink {Sink} refused {Sli} events", sink.GetType().Name, sli);
            }
        }
    }

    /// <summary>The count so far of one series (tests, the dashboard).</summary>
    public double Count(string sli, string? tenant, bool good) => _events.WithLabels(sli, tenant ?? "", good ? "good" : "bad").Value;
}
