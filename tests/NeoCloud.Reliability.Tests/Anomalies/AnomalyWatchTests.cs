using NeoCloud.Reliability.Anomalies;
using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Tests.Anomalies;

public sealed class AnomalyWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Node7 = new() { ["node"] = "n007" };

    /// <summary>A GPU temperature with a daily cycle (busier by day) and a little noise, sampled every minute.</summary>
    private static double Usual(DateTimeOffset at, Random noise) =>
        60 + (8 * Math.Sin(2 * Math.PI * at.TimeOfDay.TotalHours / 24)) + noise.NextDouble();

    [Fact]
    public void A_slow_climb_raises_one_anomaly_and_an_alert_long_before_a_fixed_threshold_would()
    {
        var watch = new AnomalyWatch();
        var noise = new Random(3);
        Anomaly? first = null;
        DateTimeOffset? thresholdAt = null;
        int raised = 0;
        var end = T0.AddDays(5);
        for (var at = T0; at < end; at = at.AddMinutes(1))
        {
            double value = Usual(at, noise);
            if (at >= T0.AddDays(4))
            {
                // A cooling fault: +2 °C an hour on top of the usual cycle.
                value += 2 * (at - T0.AddDays(4)).TotalHours;
            }

            if (value >= 85 && thresholdAt is null)
            {
                thresholdAt = at; // where a fixed 85 °C alarm would have fired
            }

            if (watch.Observe("gpu_temp_max", "n007", Node7, at, value) is { } anomaly)
            {
                first ??= anomaly;
                raised++;
            }
        }

        Assert.NotNull(first);
        Assert.Equal(1, raised);
        Assert.Equal(AnomalyDirection.Above, first.Direction);
        Assert.True(first.At >= T0.AddDays(4), $"raised at {first.At:O}, before the fault began");
        Assert.NotNull(thresholdAt);
        Assert.True(first.At < thresholdAt.Value.AddHours(-3), $"anomaly at {first.At:O}, threshold at {thresholdAt:O}");

        var alert = Assert.Single(watch.Alerts(end));
        Assert.Equal(AnomalyWatch.AlertName, alert["alertname"]);
        Assert.Equal("n007", alert[IncidentLabels.Node]);
        Assert.Equal("gpu_temp_max", alert[AnomalyWatch.MetricLabel]);
        Assert.Null(alert.EndsAt);
    }

    [Fact]
    public void The_usual_cycle_with_noise_and_single_spikes_raises_nothing()
    {
        var watch = new AnomalyWatch();
        var noise = new Random(5);
        for (var at = T0; at < T0.AddDays(6); at = at.AddMinutes(1))
        {
            double value = Usual(at, noise);
            if (at.Minute == 0 && at.Hour % 7 == 0)
            {
                value += 40; // one hot minute now and then: averaged into its 15-minute step, never three steps in a row
            }

            Assert.Null(watch.Observe("gpu_temp_max", "n007", Node7, at, value));
        }

        Assert.Empty(watch.Alerts(T0.AddDays(6)));
    }

    [Fact]
    public void An_anomaly_alert_ends_after_the_hold_once_the_series_is_back_and_is_then_forgotten()
    {
        var watch = new AnomalyWatch(new AnomalyWatchOptions { Hold = TimeSpan.FromMinutes(30) });
        var noise = new Random(9);
        var shiftStart = T0.AddDays(4);
        var shiftEnd = shiftStart.AddHours(3);
        for (var at = T0; at < shiftEnd.AddMinutes(30); at = at.AddMinutes(1))
        {
            double value = Usual(at, noise) + (at >= shiftStart && at < shiftEnd ? 25 : 0);
            watch.Observe("gpu_temp_max", "n007", Node7, at, value);
        }

        var ended = Assert.Single(watch.Alerts(shiftEnd.AddMinutes(30)));
        Assert.NotNull(ended.EndsAt);
        Assert.True(ended.EndsAt <= shiftEnd.AddMinutes(45));
        Assert.Empty(watch.Alerts(shiftEnd.AddHours(3)));
    }

    [Fact]
    public void The_finding_an_anomaly_was_recorded_as_is_named_on_its_alert()
    {
        var watch = new AnomalyWatch();
        var noise = new Random(1);
        Anomaly? raised = null;
        for (var at = T0; at < T0.AddDays(4).AddHours(4); at = at.AddMinutes(1))
        {
            raised ??= watch.Observe("gpu_temp_max", "n007", Node7, at, Usual(at, noise) + (at >= T0.AddDays(4) ? 30 : 0));
        }

        Assert.NotNull(raised);
        watch.Recorded(raised, "n007", "fnd-123");
        Assert.Equal("fnd-123", Assert.Single(watch.Alerts(T0.AddDays(4).AddHours(4)))[IncidentLabels.Finding]);
    }
}
