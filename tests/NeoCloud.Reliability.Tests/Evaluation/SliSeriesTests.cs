using NeoCloud.Reliability.Evaluation;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class SliSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_window_sums_the_buckets_up_to_and_including_the_one_that_holds_the_instant()
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));
        for (int m = 0; m < 10; m++)
        {
            series.Record(Start + (m * Minute), good: 9, total: 10);
        }

        Assert.Equal(new WindowCounts(5, 50), series.Sum(Start + (9 * Minute) + TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.Equal(new WindowCounts(10, 100), series.Sum(Start + (9 * Minute), TimeSpan.FromHours(1)));
        Assert.Equal(new WindowCounts(3, 30), series.Sum(Start + (2 * Minute), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Bad_counts_and_good_counts_describe_the_same_events()
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));
        series.Record(Start, good: 7, total: 10);
        series.RecordBad(Start + Minute, bad: 3, total: 10);

        var counts = series.Sum(Start + Minute, TimeSpan.FromMinutes(2));

        Assert.Equal(new WindowCounts(6, 20), counts);
        Assert.Equal(0.3, counts.ErrorRatio, 12);
    }

    [Fact]
    public void A_window_without_events_has_no_error_ratio()
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));

        Assert.True(double.IsNaN(series.Sum(Start, TimeSpan.FromMinutes(5)).ErrorRatio));
    }

    [Fact]
    public void A_bucket_from_a_lap_ago_is_forgotten_and_events_older_than_the_retention_are_dropped()
    {
        var series = new SliSeries(Minute, TimeSpan.FromMinutes(10));
        series.Record(Start, good: 0, total: 5);
        Assert.True(series.Record(Start + (10 * Minute), good: 1, total: 1));

        Assert.Equal(new WindowCounts(0, 1), series.Sum(Start + (10 * Minute), TimeSpan.FromMinutes(10)));
        Assert.False(series.Record(Start, good: 0, total: 5));
        Assert.Equal(new WindowCounts(0, 1), series.Sum(Start + (10 * Minute), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Events_recorded_after_the_instant_are_not_in_its_window()
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));
        series.Record(Start, good: 10, total: 10);
        series.Record(Start + (5 * Minute), good: 0, total: 10);

        Assert.Equal(new WindowCounts(0, 10), series.Sum(Start + (4 * Minute), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(90)]
    [InlineData(7200)]
    public void A_window_must_be_whole_buckets_within_the_retention(int seconds)
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));

        Assert.Throws<ArgumentException>(() => series.Sum(Start, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void More_good_events_than_events_are_refused()
    {
        var series = new SliSeries(Minute, TimeSpan.FromHours(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => series.Record(Start, good: 11, total: 10));
    }

    [Fact]
    public void Recording_and_reading_allocate_nothing()
    {
        var series = new SliSeries(Minute, TimeSpan.FromDays(30));
        var counts = default(WindowCounts);
        int lap = 0;
        long allocated = AllocationMeter.Least(() =>
        {
            // Each run records a fresh 100,000 minutes past the last, so every run does the same work.
            var start = Start + (lap++ * 100_000 * Minute);
            for (int m = 0; m < 100_000; m++)
            {
                series.Record(start + (m * Minute), good: 9, total: 10);
            }

            counts = series.Sum(start + (99_999 * Minute), TimeSpan.FromDays(3));
        });

        Assert.Equal(0, allocated);
        Assert.Equal(new WindowCounts(4_320, 43_200), counts);
    }
}
