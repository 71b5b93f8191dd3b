using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Slos;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// The SLOs kept over the twin's own events (by default those of <c>twin-slos.yaml</c>, shipped with the simulator):
/// every tick's events recorded, each objective evaluated once a minute, and its burn-rate alerts reported.
/// </summary>
internal sealed class TwinSlos
{
    private const string ResourceName = "NeoCloud.Simulator.twin-slos.yaml";

    private static readonly Lazy<IReadOnlyList<SloSpec>> Shipped = new(() =>
    {
        using var stream = typeof(TwinSlos).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The simulator was built without its {ResourceName} resource.");
        using var reader = new StreamReader(stream);
        return SloManifestReader.Parse(reader.ReadToEnd());
    });

    private readonly TwinIndicators _indicators;
    private readonly bool _needsAvailability;
    private long _evaluatedMinute = long.MinValue;

    /// <param name="slos">SLOs named after the indicators the twin measures (<see cref="TwinIndicators.Names"/>).</param>
    public TwinSlos(FleetTwin twin, IReadOnlyList<SloSpec>? slos = null)
    {
        ArgumentNullException.ThrowIfNull(twin);
        slos ??= Shipped.Value;
        var unknown = slos.Where(s => TwinIndicators.IndexOf(s.Name) < 0).Select(s => s.Name).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"The twin cannot measure SLO {string.Join(", ", unknown.Select(n => $"'{n}'"))}: an SLO on the twin is named after the indicator it keeps ({string.Join(", ", TwinIndicators.Names)}).",
                nameof(slos));
        }

        _indicators = new TwinIndicators(twin);
        Objectives = [.. slos.SelectMany(s => s.Objectives.Select(o => new TwinSlo(s, o, TwinIndicators.IndexOf(s.Name))))];
        _needsAvailability = Objectives.Any(o => o.Indicator == TwinIndicators.IndexOf(TwinIndicators.GpuAvailability));
    }

    /// <summary>The SLOs shipped with the simulator.</summary>
    public static IReadOnlyList<SloSpec> Default => Shipped.Value;

    public IReadOnlyList<TwinSlo> Objectives { get; }

    /// <summary>
    /// Records the tick that just ran (its events belong to the minute it began in) and, once a minute is complete,
    /// evaluates every objective over the whole minutes before it, as a rule engine reads counters scraped by then.
    /// </summary>
    public void AfterTick(DateTimeOffset now, TimeSpan tick)
    {
        var counts = _indicators.Measure(_needsAvailability);
        foreach (var objective in Objectives)
        {
            objective.Record(now - tick, counts[objective.Indicator]);
        }

        long minute = now.UtcTicks / SliRecord.Bucket.Ticks;
        if (minute != _evaluatedMinute)
        {
            _evaluatedMinute = minute;
            var boundary = new DateTimeOffset(minute * SliRecord.Bucket.Ticks, TimeSpan.Zero);
            foreach (var objective in Objectives)
            {
                objective.Evaluate(boundary);
            }
        }
    }

    /// <summary>The SLO alerts as they stand: firing, and recently ended.</summary>
    public IEnumerable<Alert> Alerts(DateTimeOffset now) => Objectives.SelectMany(o => o.Alerts(now));

    /// <summary>The objective an SLO alert belongs to, by its <c>neocloud_slo</c> and <c>neocloud_objective</c> labels.</summary>
    public TwinSlo? Of(Alert alert) =>
        Objectives.FirstOrDefault(o => o.Name == alert[NeoCloud.Reliability.Export.RuleNames.SloLabel]
            && o.Evaluator.Objective.Name == alert[NeoCloud.Reliability.Export.RuleNames.ObjectiveLabel]);
}
