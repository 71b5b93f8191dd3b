using FsCheck;
using FsCheck.Xunit;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class SloEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // neocloud-api/availability: 99.9% over 30 days, the workbook's windows, a guard of 10 events.
    private static SloEvaluator Availability(double? minimumEvents = null)
    {
        var slo = SloManifestReader.Parse(SampleSlos.ApiAvailability)[0];
        return new SloEvaluator(slo, slo.Objectives[0], defaultMinimumEvents: minimumEvents);
    }

    [Fact]
    public void A_steady_error_ratio_burns_at_the_same_rate_in_every_window()
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        for (int m = 0; m < 600; m++)
        {
            series.RecordBad(Start + (m * Minute), bad: 1, total: 100);
        }

        var evaluation = evaluator.Evaluate(series, Start + (599 * Minute));

        Assert.All(evaluation.Windows, r => Assert.Equal(10, r.BurnRate, 9));
        Assert.Equal(0.01, evaluation.Reading(TimeSpan.FromHours(1)).ErrorRatio, 12);
        Assert.Equal(-9, evaluation.BudgetRemaining, 9);
    }

    [Fact]
    public void Budget_remaining_is_the_share_of_the_period_budget_not_yet_spent()
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        series.Record(Start, good: 114_000, total: 114_000);
        var at = Start + TimeSpan.FromDays(10);
        series.RecordBad(at - TimeSpan.FromMinutes(20), bad: 60, total: 6_000);

        var evaluation = evaluator.Evaluate(series, at);

        Assert.Equal((60L, 120_000L), (evaluation.Period.Bad, evaluation.Period.Total));
        Assert.Equal(0.5, evaluation.BudgetRemaining, 9);
    }

    [Fact]
    public void The_forecast_spends_what_is_left_of_the_budget_at_the_current_hour_and_six_hour_burn()
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        series.Record(Start, good: 114_000, total: 114_000);
        var at = Start + TimeSpan.FromDays(10);
        series.RecordBad(at - TimeSpan.FromMinutes(20), bad: 60, total: 6_000);

        var evaluation = evaluator.Evaluate(series, at);

        // Half the budget is left and both windows burn at 10x: 0.5 × 30 days ÷ 10.
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(6)], evaluation.Forecasts.Select(f => f.Window));
        Assert.All(evaluation.Forecasts, f => Assert.Equal(TimeSpan.FromDays(1.5).TotalMinutes, f.TimeLeft!.Value.TotalMinutes, 6));
    }

    [Fact]
    public void A_spent_budget_is_exhausted_now_and_a_clean_hour_never_exhausts_it()
    {
        Assert.Equal(TimeSpan.Zero, SloEvaluator.TimeLeft(-0.2, 3, TimeSpan.FromDays(30)));
        Assert.Null(SloEvaluator.TimeLeft(0.7, 0, TimeSpan.FromDays(30)));
        Assert.Null(SloEvaluator.TimeLeft(0.7, double.NaN, TimeSpan.FromDays(30)));
        Assert.Equal(TimeSpan.FromDays(30), SloEvaluator.TimeLeft(1, 1, TimeSpan.FromDays(30)));
    }

    [Fact]
    public void A_burst_twenty_minutes_ago_pages_through_the_six_hour_pair_only()
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        var at = Start + TimeSpan.FromDays(1);
        series.RecordBad(at - TimeSpan.FromMinutes(20), bad: 60, total: 6_000);

        var evaluation = evaluator.Evaluate(series, at);

        // 1% is 10x the budget: above 6x (6h/30m) and the tickets' 3x and 1x, below 14.4x; and the 5m window is empty.
        Assert.Equal(
            [BurnRatePolicy.Workbook[1], BurnRatePolicy.Workbook[2], BurnRatePolicy.Workbook[3]],
            evaluation.Firing);
        Assert.True(evaluation.Fires(AlertSeverity.Page));
        Assert.True(double.IsNaN(evaluation.Reading(TimeSpan.FromMinutes(5)).ErrorRatio));
    }

    [Fact]
    public void An_outage_that_ended_stops_paging_once_the_short_windows_are_clean_but_still_tickets()
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        for (int m = 0; m < 200; m++)
        {
            bool down = m is >= 30 and < 60;
            series.RecordBad(Start + (m * Minute), bad: down ? 100 : 0, total: 100);
        }

        var during = evaluator.Evaluate(series, Start + (45 * Minute));
        var after = evaluator.Evaluate(series, Start + (100 * Minute));

        Assert.True(during.Fires(AlertSeverity.Page));
        Assert.False(after.Fires(AlertSeverity.Page));
        Assert.True(after.Reading(TimeSpan.FromHours(1)).BurnRate > 14.4);
        Assert.True(after.Fires(AlertSeverity.Ticket));
    }

    [Fact]
    public void One_failed_request_on_an_idle_service_pages_only_without_the_traffic_guard()
    {
        foreach (var (minimum, pages) in new[] { ((double?)null, false), (0d, true) })
        {
            var evaluator = Availability(minimum);
            var series = evaluator.CreateSeries(Minute);
            series.RecordBad(Start, bad: 1, total: 1);

            var evaluation = evaluator.Evaluate(series, Start + (2 * Minute));

            Assert.Equal(pages, evaluation.Fires(AlertSeverity.Page));
            Assert.Equal(1, evaluation.Reading(TimeSpan.FromHours(1)).ErrorRatio);
        }
    }

    [Fact]
    public void An_slo_that_counts_time_slices_is_not_evaluated_from_events()
    {
        var slo = SloManifestReader.Parse(SampleSlos.InferenceLatency)[0];

        Assert.Throws<ArgumentException>(() => new SloEvaluator(slo, slo.Objectives[0]));
    }

    [Fact]
    public void An_slo_keeps_its_own_windows_and_guard()
    {
        var slo = SloManifestReader.Parse(SampleSlos.JobStarts)[0];

        var evaluator = new SloEvaluator(slo, slo.Objectives[1]);

        Assert.Equal(50, evaluator.MinimumEvents);
        Assert.Equal(TimeSpan.FromDays(4), evaluator.Windows[3].LongWindow);
        Assert.True(evaluator.CreateSeries(Minute).Retention >= TimeSpan.FromDays(28));
    }

    [Property(MaxTest = 100)]
    public void Budget_remaining_never_exceeds_one_and_falls_as_bad_events_are_added((byte Good, byte Bad)[] minutes, PositiveInt extraBad)
    {
        var evaluator = Availability();
        var series = evaluator.CreateSeries(Minute);
        for (int m = 0; m < minutes.Length; m++)
        {
            series.Record(Start + (m * Minute), good: minutes[m].Good, total: minutes[m].Good + minutes[m].Bad);
        }

        var at = Start + (minutes.Length * Minute);
        var before = evaluator.Evaluate(series, at);
        series.RecordBad(at, bad: extraBad.Get, total: extraBad.Get);
        var after = evaluator.Evaluate(series, at);

        Assert.True(before.BudgetRemaining <= 1);
        Assert.True(after.BudgetRemaining <= 1);
        if (before.Period.Total > before.Period.Bad)
        {
            Assert.True(after.BudgetRemaining < before.BudgetRemaining);
        }
        else
        {
            Assert.True(after.BudgetRemaining <= before.BudgetRemaining);
        }
    }
}
