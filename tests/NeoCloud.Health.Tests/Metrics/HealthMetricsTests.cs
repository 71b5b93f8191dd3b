using System.Diagnostics.Metrics;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Metrics;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Metrics;

/// <summary>What the health meter records, read back with a listener on this instance's meter only.</summary>
public sealed class HealthMetricsTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly HealthMetrics _metrics = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _seen = [];

    public HealthMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void A_round_counts_findings_by_code_and_severity_diagnoses_by_suspect_and_records_the_detection_delay()
    {
        var finding = Finding("fnd-1", TimeSpan.FromSeconds(12));
        var diagnosis = new Diagnosis("dgn-1", finding.Component, 0.9, "one GPU", RemedyHint.ResetGpu, true, At, ["n1"], [finding.Component.Id], [finding]);

        _metrics.Round(new HealthRound(At, [finding, Finding("fnd-2", TimeSpan.Zero)], [diagnosis]));

        Assert.Equal(2, _seen.Count(s => s.Name == "findings_total" && (string?)s.Tags["code"] == "XID-79" && (string?)s.Tags["severity"] == "critical"));
        Assert.Single(_seen, s => s.Name == "diagnoses_total" && (string?)s.Tags["suspect"] == "gpu");
        Assert.Equal([12.0, 0.0], _seen.Where(s => s.Name == "detection_delay_seconds").Select(s => s.Value));
    }

    [Fact]
    public void A_runs_step_is_counted_once_however_often_it_is_polled_and_again_when_it_moves()
    {
        var run = Run("rem-1", RemediationStep.Cordon);

        Assert.Equal(1, _metrics.Runs([run]));
        Assert.Equal(0, _metrics.Runs([run]));
        Assert.Equal(2, _metrics.Runs([run with { Step = RemediationStep.Drain }, Run("rem-2", RemediationStep.Drain)]));

        var steps = _seen.Where(s => s.Name == "remediation_steps_total").Select(s => (string?)s.Tags["step"]).ToList();
        Assert.Equal(["cordon", "drain", "drain"], steps);
    }

    [Fact]
    public void The_active_runs_gauge_counts_only_unfinished_runs()
    {
        _metrics.Runs([Run("rem-1", RemediationStep.Act), Run("rem-2", RemediationStep.Returned), Run("rem-3", RemediationStep.AwaitingApproval)]);

        _listener.RecordObservableInstruments();

        Assert.Equal(2, _seen.Last(s => s.Name == "remediations_active").Value);
    }

    [Fact]
    public void Pages_and_lost_gpu_hours_are_counted_and_nothing_is_lost_for_an_eviction_that_lost_nothing()
    {
        _metrics.Paged(new OnCallPage(At, Severity.Critical, "breaker:fleet", "spike"));
        _metrics.GpuHoursLost(3.5);
        _metrics.GpuHoursLost(0);

        Assert.Single(_seen, s => s.Name == "pages_total" && (string?)s.Tags["severity"] == "critical");
        Assert.Equal([3.5], _seen.Where(s => s.Name == "gpu_hours_lost_total").Select(s => s.Value));
    }

    [Theory]
    [InlineData(RemediationStep.AwaitingApproval, "awaiting-approval")]
    [InlineData(RemediationStep.Rma, "rma")]
    [InlineData(ComponentKind.Pdu, "pdu")]
    public void Label_values_are_the_apis_kebab_case_names<T>(T value, string expected) where T : struct, Enum =>
        Assert.Equal(expected, HealthMetrics.Name(value));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        lock (_seen)
        {
            _seen.Add((instrument.Name, value, dictionary));
        }
    }

    private static Finding Finding(string id, TimeSpan delay) => new(
        id, "XID-79", new ComponentRef(ComponentKind.Gpu, "n1/gpu0"), Severity.Critical, true, At - delay, At, "fell off the bus", [new Evidence(At, "n1/gpu0", "xid", 79)]) { Node = "n1" };

    private static RemediationRun Run(string id, RemediationStep step) => new(
        id, "dgn-" + id, new ComponentRef(ComponentKind.Gpu, "n1/gpu0"), ["n1"], ["n1/gpu0"], step, 0, [RemediationAction.ResetGpu], DrainMode.Immediate,
        false, false, null, "test", At, At, null, 0, [], 1);
}
