using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests;

public sealed class SloManifestReaderTests
{
    private static IReadOnlyList<SpecError> Errors(string yaml)
    {
        var errors = new List<SpecError>();
        Assert.Null(SloManifestReader.TryParse(yaml, errors));
        Assert.NotEmpty(errors);
        return errors;
    }

    [Fact]
    public void A_file_of_three_slos_reads_every_openslo_field()
    {
        var slos = SloManifestReader.Parse(SampleSlos.All);

        Assert.Equal(3, slos.Count);
        var api = slos[0];
        Assert.Equal(("availability", "neocloud-api", "platform", "control-plane"), (api.Name, api.Service, api.Tenant, api.LineOfBusiness));
        Assert.Equal("api-availability", api.Indicator.BuiltIn);
        Assert.Equal(TimeSpan.FromDays(30), api.TimeWindow.Duration);
        Assert.True(api.TimeWindow.IsRolling);
        Assert.Equal(0.999m, Assert.Single(api.Objectives).Target);

        var latency = slos[1];
        Assert.Equal(SliKind.Threshold, latency.Indicator.Kind);
        Assert.Equal(BudgetingMethod.Timeslices, latency.BudgetingMethod);
        Assert.False(latency.TimeWindow.IsRolling);
        Assert.Equal("2026-01-01 00:00:00", latency.TimeWindow.CalendarStart);
        Assert.Equal(TimeSpan.FromDays(30), latency.TimeWindow.Duration);
        var p99 = Assert.Single(latency.Objectives);
        Assert.Equal((0.99m, ThresholdOperator.Lte, 2.0), (p99.Target, p99.Operator!.Value, p99.Value!.Value));

        var jobs = slos[2];
        Assert.Contains("jobs_started_total", jobs.Indicator.Good, StringComparison.Ordinal);
        Assert.Equal([0.99m, 0.995m], jobs.Objectives.Select(o => o.Target));
        Assert.Equal(50, jobs.Alerting.MinimumEvents);
        Assert.Equal(4, jobs.Alerting.Windows!.Count);
        Assert.Equal(14m, jobs.Alerting.Windows[0].FactorFor(jobs.TimeWindow.Duration));
    }

    [Fact]
    public void Every_error_is_listed_with_its_line_column_and_field()
    {
        const string yaml = """
            apiVersion: neocloud.dev/v1
            kind: SLO
            metadata:
              name: api
            spec:
              service: api
              indicatr: {}
              timeWindow:
                - duration: 30x
              objectives:
                - target: 1.5
                - targetPercent: 0
            """;

        var errors = Errors(yaml);

        Assert.Contains(errors, e => e is { Line: 7, Column: 3, Path: "spec.indicatr" } && e.Message.Contains("did you mean 'indicator'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Path: "spec.indicator" } && e.Message == "is required");
        Assert.Contains(errors, e => e is { Line: 9, Column: 17, Path: "spec.timeWindow[0].duration" });
        Assert.Contains(errors, e => e is { Line: 11, Column: 15, Path: "spec.objectives[0].target" } && e.Message.Contains("less than 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 12, Column: 22, Path: "spec.objectives[1].targetPercent" } && e.Message.Contains("more than 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_in_a_later_document_name_that_document()
    {
        string yaml = SampleSlos.ApiAvailability + "\n---\n" + SampleSlos.ApiAvailability.Replace("target: 0.999", "target: 1", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("documents[1].spec.objectives[0].target", error.Path);
        Assert.Equal(37, error.Line);
    }

    [Fact]
    public void The_same_slo_twice_is_refused()
    {
        var error = Assert.Single(Errors(SampleSlos.ApiAvailability + "\n---\n" + SampleSlos.ApiAvailability));

        Assert.Contains("defined twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ratioMetric: { good: 'a', bad: 'b', total: 'c' }", "exactly one of good or bad")]
    [InlineData("ratioMetric: { good: 'a' }", "is required")]
    [InlineData("builtIn: gpu-magic", "is not a NeoCloud indicator")]
    [InlineData("{ builtIn: api-availability, thresholdMetric: 'x' }", "exactly one of ratioMetric, thresholdMetric or builtIn")]
    [InlineData("ratioMetric: { good: { metricSource: { type: Datadog, spec: { query: a } } }, total: b }", "must be 'Prometheus'")]
    public void A_bad_indicator_is_refused_with_the_reason(string indicatorSpec, string reason)
    {
        string yaml = SampleSlos.ApiAvailability.Replace("builtIn: api-availability", indicatorSpec, StringComparison.Ordinal);
        if (indicatorSpec.StartsWith('{'))
        {
            yaml = yaml.Replace("spec:\n      " + indicatorSpec, "spec: " + indicatorSpec, StringComparison.Ordinal);
        }

        Assert.Contains(Errors(yaml), e => e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_threshold_objective_needs_its_operator_and_value()
    {
        string yaml = SampleSlos.InferenceLatency.Replace("      op: lte\n", "", StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Path == "spec.objectives[0].op" && e.Message.Contains("needs op and value", StringComparison.Ordinal));
    }

    [Fact]
    public void A_budgeting_method_outside_openslo_is_refused()
    {
        string yaml = SampleSlos.ApiAvailability.Replace("budgetingMethod: Occurrences", "budgetingMethod: occurrences", StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Path == "spec.budgetingMethod");
    }

    [Fact]
    public void An_alerting_window_whose_short_window_is_not_shorter_is_refused()
    {
        string yaml = SampleSlos.JobStarts.Replace("longWindow: 1h, shortWindow: 5m", "longWindow: 1h, shortWindow: 2h", StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Path == "spec.alerting.windows[0].shortWindow");
    }

    [Fact]
    public void A_window_given_by_factor_gets_the_budget_share_that_factor_spends()
    {
        var jobs = SloManifestReader.Parse(SampleSlos.JobStarts)[0];

        // 14x over 1h of a 28-day period spends 14 × 1 / 672 of the budget.
        Assert.Equal(14m * 100m / 672m, jobs.Alerting.Windows![0].BudgetPercent);
        Assert.Equal(AlertSeverity.Page, jobs.Alerting.Windows[0].Severity);
    }

    [Fact]
    public void A_file_with_no_slo_is_refused()
    {
        Assert.Equal("holds no SLO", Assert.Single(Errors("---\n")).Message);
    }

    [Fact]
    public void Parse_throws_with_every_error_in_its_message()
    {
        var ex = Assert.Throws<SloSpecException>(() => SloManifestReader.Parse(SampleSlos.ApiAvailability.Replace("0.999", "99.9", StringComparison.Ordinal)));

        Assert.Contains("line 18, column 15: spec.objectives[0].target", ex.Message, StringComparison.Ordinal);
    }
}
