using NeoCloud.Reliability.Anomalies;
using Xunit.Abstractions;

namespace NeoCloud.Reliability.Tests.Anomalies;

public sealed class AnomalyDetectorTests(ITestOutputHelper output)
{
    private const int Seasons = 4;

    private static SeasonalBaseline DailyBaseline() =>
        new(DailyTraffic.Step, TimeSpan.FromDays(1), TimeSpan.FromHours(1), Seasons);

    private static AnomalyDetector Detector(SeasonalBaseline baseline) => new("api_requests_per_second", baseline);

    [Fact]
    public void A_noisy_daily_cycle_raises_nothing_over_several_seasons()
    {
        var traffic = new DailyTraffic(seed: 1);
        var detector = Detector(DailyBaseline());
        var raised = new List<Anomaly>();

        for (int step = 0; step < DailyTraffic.StepsPerDay * 12; step++)
        {
            if (detector.Observe(DailyTraffic.At(step), traffic.Value(step)) is { } anomaly)
            {
                raised.Add(anomaly);
            }
        }

        Assert.Empty(raised);
    }

    [Fact]
    public void A_level_shift_is_raised_within_the_run_length_hours_before_a_fixed_threshold_would_fire()
    {
        var traffic = new DailyTraffic(seed: 2);
        var detector = Detector(DailyBaseline());
        var options = new AnomalyDetectorOptions();
        double oldMaximum = double.MinValue;
        int history = DailyTraffic.StepsPerDay * 6;
        for (int step = 0; step < history; step++)
        {
            double value = traffic.Value(step);
            oldMaximum = Math.Max(oldMaximum, value);
            Assert.Null(detector.Observe(DailyTraffic.At(step), value));
        }

        // The shift lands at 18:00, the trough of the cycle, where it is far from the old peak.
        int shiftStep = history + (DailyTraffic.StepsPerDay * 3 / 4);
        double fixedThreshold = oldMaximum * 1.5;
        Anomaly? raised = null;
        DateTimeOffset? thresholdCrossed = null;
        for (int step = history; step < history + (DailyTraffic.StepsPerDay * 2); step++)
        {
            double value = traffic.Value(step) + (step >= shiftStep ? 75 : 0);
            var anomaly = detector.Observe(DailyTraffic.At(step), value);
            raised ??= anomaly;
            if (thresholdCrossed is null && value > fixedThreshold)
            {
                thresholdCrossed = DailyTraffic.At(step);
            }
        }

        var shiftAt = DailyTraffic.At(shiftStep);
        Assert.NotNull(raised);
        Assert.NotNull(thresholdCrossed);
        Assert.Equal(AnomalyDirection.Above, raised.Direction);
        Assert.Equal(shiftAt, raised.Since);
        Assert.Equal(shiftAt + (DailyTraffic.Step * (options.ConsecutiveSamples - 1)), raised.At);
        Assert.True(raised.Score > options.Threshold);
        Assert.InRange(raised.Expected, 70, 90);
        // Raised 10 minutes after the shift; the threshold at 1.5 × the old maximum only fires as the cycle climbs to its
        // next peak, the morning after.
        output.WriteLine($"shift {shiftAt:u}, anomaly raised {raised.At:u}, fixed threshold {fixedThreshold:F1} crossed {thresholdCrossed:u}");
        Assert.InRange(thresholdCrossed.Value, shiftAt + TimeSpan.FromHours(6), shiftAt + TimeSpan.FromHours(14));
    }

    [Fact]
    public void A_single_spike_raises_nothing()
    {
        var traffic = new DailyTraffic(seed: 3);
        var detector = Detector(DailyBaseline());
        int spikeStep = (DailyTraffic.StepsPerDay * 5) + 100;

        for (int step = 0; step < DailyTraffic.StepsPerDay * 6; step++)
        {
            double value = traffic.Value(step) + (step == spikeStep ? 500 : 0);
            Assert.Null(detector.Observe(DailyTraffic.At(step), value));
        }
    }

    [Fact]
    public void A_drop_is_raised_below_the_baseline_once_per_run()
    {
        var traffic = new DailyTraffic(seed: 4);
        var detector = Detector(DailyBaseline());
        int dropStep = (DailyTraffic.StepsPerDay * 5) + 120;
        var raised = new List<Anomaly>();

        for (int step = 0; step < DailyTraffic.StepsPerDay * 6; step++)
        {
            double value = traffic.Value(step) - (step >= dropStep && step < dropStep + 24 ? 60 : 0);
            if (detector.Observe(DailyTraffic.At(step), value) is { } anomaly)
            {
                raised.Add(anomaly);
            }
        }

        var only = Assert.Single(raised);
        Assert.Equal(AnomalyDirection.Below, only.Direction);
        Assert.Equal(DailyTraffic.At(dropStep), only.Since);
    }

    [Fact]
    public void A_missing_step_breaks_the_run()
    {
        var traffic = new DailyTraffic(seed: 5);
        var detector = Detector(DailyBaseline());
        int from = DailyTraffic.StepsPerDay * 5;
        for (int step = 0; step < from; step++)
        {
            detector.Observe(DailyTraffic.At(step), traffic.Value(step));
        }

        Assert.Null(detector.Observe(DailyTraffic.At(from), 400));
        Assert.Null(detector.Observe(DailyTraffic.At(from + 1), 400));
        Assert.Null(detector.Observe(DailyTraffic.At(from + 3), 400));
        Assert.Null(detector.Observe(DailyTraffic.At(from + 4), 400));
        Assert.NotNull(detector.Observe(DailyTraffic.At(from + 5), 400));
    }

    [Fact]
    public void The_detector_is_silent_until_it_has_seen_K_seasons()
    {
        var traffic = new DailyTraffic(seed: 6);
        var baseline = DailyBaseline();
        var detector = Detector(baseline);
        int warmUp = DailyTraffic.StepsPerDay * (Seasons - 1);
        for (int step = 0; step < warmUp; step++)
        {
            Assert.Null(detector.Observe(DailyTraffic.At(step), traffic.Value(step)));
        }

        for (int step = warmUp; step < warmUp + DailyTraffic.StepsPerDay; step++)
        {
            Assert.Null(baseline.Read(DailyTraffic.At(step)));
            Assert.Null(detector.Observe(DailyTraffic.At(step), traffic.Value(step) + 300));
        }

        int afterWarmUp = warmUp + DailyTraffic.StepsPerDay;
        Assert.NotNull(baseline.Read(DailyTraffic.At(afterWarmUp)));
    }

    [Fact]
    public void Observing_samples_that_raise_nothing_allocates_nothing()
    {
        var traffic = new DailyTraffic(seed: 8);
        var detector = Detector(DailyBaseline());
        int warm = DailyTraffic.StepsPerDay * Seasons;
        var values = Enumerable.Range(0, warm + DailyTraffic.StepsPerDay).Select(traffic.Value).ToArray();
        for (int step = 0; step < warm; step++)
        {
            detector.Observe(DailyTraffic.At(step), values[step]);
        }

        int raised = 0;
        int next = warm;
        long allocated = AllocationMeter.Least(() =>
        {
            // A quarter of the last day per run, so the runs go on where the last stopped.
            int end = Math.Min(values.Length, next + (DailyTraffic.StepsPerDay / 4));
            for (; next < end; next++)
            {
                raised += detector.Observe(DailyTraffic.At(next), values[next]) is null ? 0 : 1;
            }
        });

        Assert.Equal(0, raised);
        Assert.Equal(0, allocated);
    }
}
