using BenchmarkDotNet.Attributes;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Benchmarks.Reliability;

/// <summary>
/// One evaluation cycle of 1,000 SLOs over 30-day periods in 30 s buckets, each series filled with 30 days of traffic
/// (86,400 buckets): a quarter with two objectives, a quarter with their own burn-rate windows (1h/5m, 6h/30m, 1d/2h,
/// 4d/6h), a tenth under Timeslices. <c>RecordAndEvaluate</c> is what the host does every 30 s: record the new bucket of
/// every SLO and evaluate them all (O(1) window reads). <c>EvaluateScanning</c> reads the same book one bucket in the past,
/// where no running sum applies and every window is summed bucket by bucket: the cost of every cycle before the change.
/// </summary>
[MemoryDiagnoser]
public class SloEvaluationBenchmarks
{
    private const int SloCount = 1_000;
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    private readonly SloBook _book = new(Bucket);
    private readonly string[] _names = new string[SloCount];
    private DateTimeOffset _now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private long _tick;

    [GlobalSetup]
    public void Setup()
    {
        IReadOnlyList<BurnRateWindow> custom =
        [
            new(AlertSeverity.Page, 2m, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
            new(AlertSeverity.Page, 5m, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
            new(AlertSeverity.Ticket, 10m, TimeSpan.FromDays(1), TimeSpan.FromHours(2)),
            new(AlertSeverity.Ticket, 10m, TimeSpan.FromDays(4), TimeSpan.FromHours(6)),
        ];
        for (int i = 0; i < SloCount; i++)
        {
            _names[i] = $"slo-{i:D4}";
            bool sliced = i % 10 == 9;
            IReadOnlyList<SloObjective> objectives = i % 4 == 0
                ? [new("fast", 0.999m, TimeSliceTarget: sliced ? 0.95m : null), new("strict", 0.9995m, TimeSliceTarget: sliced ? 0.99m : null)]
                : [new("default", 0.999m, TimeSliceTarget: sliced ? 0.95m : null)];
            _book.Upsert(new SloSpec(
                _names[i],
                $"service-{i % 50}",
                null,
                SliIndicator.Ratio(null, $"sum(rate(errors_{i}[{{{{.window}}}}]))", $"sum(rate(requests_{i}[{{{{.window}}}}]))"),
                new SloTimeWindow(Period, "30d", IsRolling: true),
                sliced ? BudgetingMethod.Timeslices : BudgetingMethod.Occurrences,
                objectives,
                new SloAlerting(i % 4 == 1 ? custom : null, null),
                Tenant: $"tenant-{i % 20}"));
        }

        // 30 days of traffic for every SLO: 1,000 events a bucket, one in 2,000 failing, a short outage now and then.
        long buckets = Period.Ticks / Bucket.Ticks;
        for (; _tick < buckets; _tick++)
        {
            Fill(_now);
            _now += Bucket;
        }
    }

    [Benchmark(Description = "record one bucket of 1,000 SLOs and evaluate them all")]
    public int RecordAndEvaluate()
    {
        Fill(_now);
        var statuses = _book.Evaluate(_now);
        _now += Bucket;
        _tick++;
        return statuses.Count;
    }

    [Benchmark(Baseline = true, Description = "evaluate 1,000 SLOs summing every bucket (before)")]
    public int EvaluateScanning() => _book.Evaluate(_now - (2 * Bucket)).Count;

    private void Fill(DateTimeOffset at)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            long bad = (_tick + i) % 2_880 < 4 ? 200 : ((_tick + i) % 2 == 0 ? 1 : 0);
            _book.Record(_names[i], at, 1_000 - bad, 1_000);
        }
    }
}
