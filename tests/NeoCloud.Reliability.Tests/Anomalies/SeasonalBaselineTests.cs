using NeoCloud.Reliability.Anomalies;

namespace NeoCloud.Reliability.Tests.Anomalies;

public sealed class SeasonalBaselineTests
{
    private static SeasonalBaseline DailyBaseline() =>
        new(DailyTraffic.Step, TimeSpan.FromDays(1), TimeSpan.FromHours(1), seasons: 4);

    [Fact]
    public void The_median_and_spread_barely_move_when_a_tenth_of_the_history_is_outliers()
    {
        var clean = DailyBaseline();
        var dirty = DailyBaseline();
        var traffic = new DailyTraffic(seed: 7);
        int days = 4;
        var slotValues = new List<double>();
        var dirtySlotValues = new List<double>();
        for (int step = 0; step < DailyTraffic.StepsPerDay * days; step++)
        {
            double value = traffic.Value(step);
            double recorded = step % 10 == 3 ? value * 10 : value;
            clean.Record(DailyTraffic.At(step), value);
            dirty.Record(DailyTraffic.At(step), recorded);
            if (DailyTraffic.At(step).Hour == 9)
            {
                slotValues.Add(value);
                dirtySlotValues.Add(recorded);
            }
        }

        var at = DailyTraffic.At(DailyTraffic.StepsPerDay * days) + TimeSpan.FromHours(9.5);
        var expected = clean.Read(at)!.Value;
        var actual = dirty.Read(at)!.Value;

        Assert.Equal(48, actual.Samples);
        Assert.InRange(dirtySlotValues.Count(v => v > 500), 4, 6);
        Assert.True(Math.Abs(actual.Median - expected.Median) < 0.5 * expected.Spread, $"median {expected.Median} became {actual.Median}");
        Assert.InRange(actual.Spread / expected.Spread, 0.8, 1.5);
        // The mean moves by tens of spreads: the reason the baseline is not a mean and a standard deviation.
        Assert.True(dirtySlotValues.Average() - slotValues.Average() > 10 * expected.Spread);
    }

    [Fact]
    public void A_reading_is_the_median_and_scaled_MAD_of_the_slot_over_the_last_K_seasons()
    {
        var baseline = new SeasonalBaseline(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(2), seasons: 2);
        var start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        double[] firstHour = [1, 2];
        double[] secondHour = [4, 10];
        baseline.Record(start, firstHour[0]);
        baseline.Record(start.AddMinutes(1), firstHour[1]);
        baseline.Record(start.AddHours(1), secondHour[0]);
        baseline.Record(start.AddHours(1).AddMinutes(1), secondHour[1]);
        // A sample of the reading's own season is not part of its baseline yet.
        baseline.Record(start.AddHours(2), 1000);

        var reading = baseline.Read(start.AddHours(2).AddMinutes(1));

        Assert.NotNull(reading);
        Assert.Equal(3, reading.Value.Median);
        Assert.Equal(1.5 * SeasonalBaseline.MadToSigma, reading.Value.Spread, 12);
        Assert.Equal(4, reading.Value.Samples);
        // An hour on, the first season has left the last two: 4, 10 and 1000 remain.
        Assert.Equal(10, baseline.Read(start.AddHours(3))!.Value.Median);
    }

    [Fact]
    public void A_late_sample_into_a_past_season_updates_the_cached_reading()
    {
        var baseline = new SeasonalBaseline(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(2), seasons: 1);
        var start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        baseline.Record(start, 10);
        Assert.Equal(10, baseline.Read(start.AddHours(1))!.Value.Median);

        baseline.Record(start.AddMinutes(1), 20);

        Assert.Equal(15, baseline.Read(start.AddHours(1))!.Value.Median);
    }

    [Fact]
    public void Samples_older_than_the_ring_and_values_that_are_not_finite_are_dropped()
    {
        var baseline = new SeasonalBaseline(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(2), seasons: 1);
        var start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

        Assert.True(baseline.Record(start.AddHours(2), 1));
        Assert.False(baseline.Record(start, 1));
        Assert.False(baseline.Record(start.AddHours(2), double.NaN));
        Assert.False(baseline.Record(start.AddHours(2), double.PositiveInfinity));
    }

    [Fact]
    public void A_slot_width_that_is_not_a_whole_number_of_steps_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SeasonalBaseline(TimeSpan.FromMinutes(7), TimeSpan.FromDays(1), TimeSpan.FromHours(1), 4));
}
