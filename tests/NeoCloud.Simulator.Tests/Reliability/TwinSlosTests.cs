using FsCheck;
using FsCheck.Xunit;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;
using NeoCloud.Simulator.Reliability;
using NeoCloud.Simulator.Tests.SelfHealing;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Reliability;

/// <summary>The SLOs kept over the twin: the shipped file, the names the twin can measure, and the ground truth's sums.</summary>
public sealed class TwinSlosTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_shipped_file_declares_job_success_gpu_availability_and_goodput_with_realistic_targets()
    {
        var slos = TwinSlos.Default;

        Assert.Equal(["gpu-availability", "job-success", "training-goodput"], slos.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(slos, s => Assert.Equal(TimeSpan.FromDays(30), s.TimeWindow.Duration));
        Assert.Equal(0.99m, slos.Single(s => s.Name == "job-success").Objectives[0].Target);
        Assert.Equal(0.995m, slos.Single(s => s.Name == "gpu-availability").Objectives[0].Target);
        Assert.Equal(100, slos.Single(s => s.Name == "job-success").Alerting.MinimumEvents);
    }

    [Fact]
    public void An_slo_the_twin_cannot_measure_is_refused_by_name()
    {
        var twin = new FleetTwin(ScenarioFleet.Fleet, 1, ScenarioFleet.Options(load: false));
        var api = SloManifestReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: SLO
            metadata:
              name: api-latency
            spec:
              service: neocloud-api
              indicator:
                spec:
                  ratioMetric:
                    counter: true
                    bad: sum(rate(bad[{{.window}}]))
                    total: sum(rate(total[{{.window}}]))
              timeWindow:
                - duration: 30d
                  isRolling: true
              budgetingMethod: Occurrences
              objectives:
                - target: 0.99
            """);

        var error = Assert.Throws<ArgumentException>(() => new TwinSlos(twin, api));

        Assert.Contains("'api-latency'", error.Message, StringComparison.Ordinal);
        Assert.Contains("job-success", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quiet_twin_records_every_gpu_second_as_available_and_raises_no_slo_alert()
    {
        var twin = new FleetTwin(ScenarioFleet.Fleet, 1, ScenarioFleet.Options(load: true));
        var slos = new TwinSlos(twin);
        for (int i = 0; i < 6 * 90; i++)
        {
            twin.Tick();
            slos.AfterTick(twin.Now, twin.Options.Tick);
        }

        var availability = slos.Objectives.Single(o => o.Name == "gpu-availability");
        var counts = availability.Truth.Sum(TwinSlo.BeforeMinute(twin.Now), TimeSpan.FromHours(1));
        Assert.Equal(0, counts.Bad);
        Assert.Equal(ScenarioFleet.Fleet.GpuCount * 3600L, counts.Total);
        Assert.Empty(slos.Alerts(twin.Now));
        Assert.True(slos.Objectives.Single(o => o.Name == "job-success").Truth.Sum(twin.Now, TimeSpan.FromHours(2)).Total > 0);
    }

    [Property(MaxTest = 100)]
    public void The_ground_truth_sums_every_window_as_the_evaluators_series_does(NonNegativeInt[] bad, PositiveInt extra, PositiveInt windowMinutes, NonNegativeInt atMinute)
    {
        var series = new SliSeries(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        var record = new SliRecord();
        for (int m = 0; m < bad.Length; m++)
        {
            long b = bad[m].Get % 1000;
            series.RecordBad(Start.AddMinutes(m).AddSeconds(m % 60), b, b + (extra.Get % 1000));
            record.Add(Start.AddMinutes(m).AddSeconds(m % 60), b, b + (extra.Get % 1000));
        }

        var window = TimeSpan.FromMinutes(1 + (windowMinutes.Get % 600));
        var at = Start.AddMinutes(atMinute.Get % (bad.Length + 10));

        Assert.Equal(series.Sum(at, window), record.Sum(at, window));
    }
}
