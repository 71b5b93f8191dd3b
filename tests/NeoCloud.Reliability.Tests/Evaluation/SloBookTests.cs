using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class SloBookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(30);

    private static SloSpec Availability => SloManifestReader.Parse(SampleSlos.ApiAvailability)[0];

    private static SloSpec JobStarts => SloManifestReader.Parse(SampleSlos.JobStarts)[0];

    private static SloSpec Sliced(string method, string objectiveFields) => SloManifestReader.Parse(SampleSlos.ApiAvailability
        .Replace("budgetingMethod: Occurrences", "budgetingMethod: " + method, StringComparison.Ordinal)
        .Replace("- target: 0.999", "- target: 0.9" + objectiveFields, StringComparison.Ordinal))[0];

    [Fact]
    public void Every_objective_of_every_slo_is_evaluated_as_its_own_evaluator_would()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);
        book.Upsert(JobStarts);
        var evaluators = JobStarts.Objectives.Select(o => new SloEvaluator(JobStarts, o)).ToList();
        var series = evaluators[0].CreateSeries(Bucket);
        for (int m = 0; m < 600; m++)
        {
            long good = m is > 500 and < 560 ? 90 : 100;
            Assert.True(book.Record("job-starts", Start + (m * Minute), good, 100));
            series.Record(Start + (m * Minute), good, 100);
            book.Record("availability", Start + (m * Minute), 1000, 1000);
        }

        var at = Start + (599 * Minute);
        var statuses = book.Evaluate(at);

        Assert.Equal(3, statuses.Count);
        foreach (var evaluator in evaluators)
        {
            var expected = evaluator.Evaluate(series, at);
            var status = Assert.Single(statuses, s => s.Slo == "job-starts" && s.Objective == evaluator.Objective.Name);
            Assert.Equal(expected.BudgetRemaining, status.BudgetRemaining, 12);
            Assert.Equal(expected.Reading(TimeSpan.FromHours(1)).BurnRate, status.BurnRate1h, 12);
            Assert.Equal(expected.Reading(TimeSpan.FromMinutes(5)).BurnRate, status.CurrentBurnRate, 12);
            Assert.Equal(expected.Firing, status.Firing);
            Assert.Equal(60_000, status.EventsInPeriod);
            Assert.Same(status, book.StatusOf("job-starts", evaluator.Objective.Name));
        }

        var availability = book.StatusOf("availability")!;
        Assert.Equal(1, availability.BudgetRemaining);
        Assert.Empty(availability.Firing);
        Assert.Equal(("platform", "control-plane"), (availability.Tenant, availability.LineOfBusiness));
    }

    [Fact]
    public void An_unknown_slo_records_nothing_and_has_no_status()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);

        Assert.False(book.Record("no-such-slo", Start, 1, 1));
        Assert.Null(book.StatusOf("no-such-slo"));
        Assert.Null(book.StatusOf("availability"));
        Assert.Null(book.StatusOf("availability", "no-such-objective"));
    }

    [Fact]
    public void Replacing_an_slo_keeps_its_events_unless_its_indicator_or_period_changes()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);
        book.Record("availability", Start, 900, 1000);

        book.Upsert(Availability with { Objectives = [new SloObjective("default", 0.99m)] });
        Assert.Equal(0.1, book.Evaluate(Start).Single().ErrorRatio, 12);
        Assert.Equal(0.99m, book.StatusOf("availability")!.Target);

        book.Upsert(Availability with { TimeWindow = Availability.TimeWindow with { Duration = TimeSpan.FromDays(7), Text = "7d" } });
        Assert.Equal(0, book.Evaluate(Start).Single().EventsInPeriod);

        book.Record("availability", Start, 900, 1000);
        book.Upsert(Availability with { Indicator = SliIndicator.Ratio(null, "sum(rate(errors[{{.window}}]))", "sum(rate(requests[{{.window}}]))") });
        Assert.Equal(0, book.Evaluate(Start).Single().EventsInPeriod);
    }

    [Fact]
    public void A_removed_slo_is_no_longer_evaluated()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);
        book.Upsert(JobStarts);

        Assert.True(book.Remove("availability"));
        Assert.False(book.Remove("availability"));
        Assert.Equal(["job-starts"], book.Slos.Select(s => s.Name));
        Assert.All(book.Evaluate(Start), s => Assert.Equal("job-starts", s.Slo));
    }

    [Fact]
    public void A_threshold_slo_is_refused_with_the_reason()
    {
        var book = new SloBook(Bucket);
        var latency = SloManifestReader.Parse(SampleSlos.InferenceLatency)[0];

        var error = Assert.Throws<ArgumentException>(() => book.Upsert(latency));
        Assert.Contains("inference-gateway/latency: a threshold indicator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_that_are_not_whole_buckets_are_refused()
    {
        var book = new SloBook(TimeSpan.FromSeconds(7));

        var error = Assert.Throws<ArgumentException>(() => book.Upsert(Availability));
        Assert.Contains("is not a whole number of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_timeslices_a_slice_is_good_when_its_own_ratio_meets_the_slice_target_and_empty_slices_do_not_count()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Sliced("Timeslices", "\n      timeSliceTarget: 0.95\n      timeSliceWindow: 1m"));

        // Minute 0 good (99%), minute 1 bad (90%), minutes 2 to 4 empty, minute 5 first bad (80%) then made good by more events.
        book.Record("availability", Start, 99, 100);
        book.Record("availability", Start + Minute, 90, 100);
        book.Record("availability", Start + (5 * Minute), 80, 100);
        book.Record("availability", Start + (5 * Minute) + TimeSpan.FromSeconds(40), 1900, 1900);

        var status = book.Evaluate(Start + (5 * Minute) + TimeSpan.FromSeconds(50)).Single();
        var five = status.Windows.Single(w => w.Window == TimeSpan.FromMinutes(5));

        Assert.Equal((1L, 2L), (five.Bad, five.Total)); // minutes 1 to 5: one bad slice, one good, three empty
        Assert.Equal(1.0 / 3, status.ErrorRatio, 12);
        Assert.Equal(2_200, status.EventsInPeriod);
    }

    [Fact]
    public void Under_ratio_timeslices_the_window_ratio_is_the_mean_of_the_slice_ratios()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Sliced("RatioTimeslices", ""));

        book.Record("availability", Start, 9, 10);            // 10% errors over 10 events
        book.Record("availability", Start + Minute, 700, 1000); // 30% errors over 1,000 events

        var status = book.Evaluate(Start + Minute).Single();

        Assert.Equal(0.2, status.ErrorRatio, 9);
        Assert.Equal(2, status.BurnRate1h, 6); // budget 0.1
    }

    [Fact]
    public void Replacing_a_time_slice_slo_rebuilds_its_slices_from_the_kept_events()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Sliced("Timeslices", "\n      timeSliceTarget: 0.95"));
        book.Record("availability", Start, 96, 100);
        book.Record("availability", Start + Minute, 90, 100);

        // A stricter slice target turns the first slice bad too, without losing the events.
        book.Upsert(Sliced("Timeslices", "\n      timeSliceTarget: 0.97"));
        var status = book.Evaluate(Start + Minute).Single();

        Assert.Equal(1, status.ErrorRatio, 12);
        Assert.Equal(200, status.EventsInPeriod);
    }

    [Fact]
    public void The_traffic_guard_keeps_a_burning_but_idle_slo_silent()
    {
        var book = new SloBook(Bucket, defaultMinimumEvents: 10);
        book.Upsert(Availability);
        book.Record("availability", Start, 0, 3);
        Assert.Empty(book.Evaluate(Start).Single().Firing);

        book.Record("availability", Start, 0, 7);
        Assert.Equal([AlertSeverity.Page, AlertSeverity.Page, AlertSeverity.Ticket, AlertSeverity.Ticket], book.Evaluate(Start).Single().Firing.Select(w => w.Severity));
    }

    [Fact]
    public void Built_in_events_go_to_the_slos_of_their_tenant_and_to_those_without_one()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability); // tenant: platform
        book.Upsert(Availability with { Name = "availability-all", Tenant = null });
        book.Upsert(Availability with { Name = "availability-acme", Tenant = "acme" });

        Assert.Equal(2, book.RecordBuiltIn("api-availability", "platform", Start, 9, 10));
        Assert.Equal(0, book.RecordBuiltIn("job-success", "platform", Start, 9, 10));

        var statuses = book.Evaluate(Start).ToDictionary(s => s.Slo, s => s.EventsInPeriod);
        Assert.Equal(10, statuses["availability"]);
        Assert.Equal(10, statuses["availability-all"]);
        Assert.Equal(0, statuses["availability-acme"]);
    }

    [Fact]
    public void A_latency_is_good_up_to_and_including_the_slos_threshold()
    {
        var latency = SloManifestReader.Parse(SampleSlos.ApiAvailability
            .Replace("builtIn: api-availability", "builtIn: { name: api-latency, threshold: 500ms }", StringComparison.Ordinal))[0];
        var book = new SloBook(Bucket);
        book.Upsert(latency);

        book.RecordLatency("api-latency", "platform", Start, TimeSpan.FromMilliseconds(500));
        book.RecordLatency("api-latency", "platform", Start, TimeSpan.FromMilliseconds(501));

        Assert.Equal(0.5, book.Evaluate(Start).Single().ErrorRatio, 12);
    }

    [Fact]
    public void A_firing_objective_raises_alerts_named_and_labelled_as_the_exported_rules()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);
        for (int m = 0; m < 60; m++)
        {
            book.Record("availability", Start + (m * Minute), 980, 1000); // 2% errors: 20x a 0.1% budget
        }

        var at = Start + (59 * Minute);
        var alerts = SloAlerts.Of(book.Evaluate(at).Single());

        var page = alerts.First(a => a["neocloud_window"] == "1h");
        Assert.Equal(RuleNames.PageAlert, page["alertname"]);
        Assert.Equal("page", page["severity"]);
        Assert.Equal(("availability", "neocloud-api", "default"), (page["neocloud_slo"], page["neocloud_service"], page["neocloud_objective"]));
        Assert.Equal(("platform", "control-plane"), (page["neocloud_tenant"], page["neocloud_line_of_business"]));
        Assert.Equal(at, page.StartsAt);
        Assert.Contains("20x over 1h", page.Annotations["summary"], StringComparison.Ordinal);
        Assert.Contains("above 14.4x", page.Annotations["description"], StringComparison.Ordinal);
        Assert.Contains("% of the 30d budget is left", page.Annotations["description"], StringComparison.Ordinal);
        // The longer windows hold only this hour of events, so they burn 20x too and every pair fires.
        Assert.Equal(["1d", "1h", "3d", "6h"], alerts.Select(a => a["neocloud_window"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recording_into_a_warm_book_allocates_nothing()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Availability);
        book.Upsert(Sliced("Timeslices", "\n      timeSliceTarget: 0.95") with { Name = "sliced" });
        for (int m = 0; m < 10_000; m++)
        {
            // Warm: every path JIT-compiled at its final tier, so the runtime allocates nothing of its own while measured.
            book.Record("availability", Start + (m * Bucket), 9, 10);
            book.Record("sliced", Start + (m * Bucket), 9, 10);
        }

        int lap = 1;
        long allocated = AllocationMeter.Least(() =>
        {
            var from = Start + TimeSpan.FromDays(lap++);
            for (int m = 0; m < 10_000; m++)
            {
                book.Record("availability", from + (m * Bucket), 9, 10);
                book.Record("sliced", from + (m * Bucket), 9, 10);
            }
        });

        Assert.Equal(0, allocated);
    }
}
