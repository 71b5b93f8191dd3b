using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentMetricsTests
{
    /// <summary>
    /// Four sev2 training incidents (detected after 1, 2, 3, 4 minutes; acknowledged 5, 10, 15, 20 minutes later), one
    /// sev3 inference incident still open.
    /// </summary>
    private static List<Incident> HandBuilt()
    {
        var tracker = new IncidentTracker();
        for (int i = 1; i <= 4; i++)
        {
            int onset = i * 100;
            var incident = tracker.Raise([Alarm(i, onset, "page", "training")], At(onset + i));
            tracker.Acknowledge(incident.Id, At(onset + i + 5 * i), "oncall");
            tracker.Mitigate(incident.Id, At(onset + 30 * i), "oncall");
            tracker.Resolve(incident.Id, At(onset + 60 * i), "oncall");
        }

        tracker.Raise([Alarm(5, 1000, "ticket", "inference")], At(1010));
        return [.. tracker.Incidents];
    }

    private static Alert Alarm(int i, int onsetMinute, string severity, string lineOfBusiness) => Alert.Firing(
        At(onsetMinute),
        ("alertname", "gpu-xid"),
        ("node", $"n{i}"),
        ("severity", severity),
        (IncidentLabels.LineOfBusiness, lineOfBusiness));

    [Fact]
    public void Each_incident_knows_its_own_durations()
    {
        var second = HandBuilt()[1];

        Assert.Equal(TimeSpan.FromMinutes(2), second.TimeToDetect);
        Assert.Equal(TimeSpan.FromMinutes(10), second.TimeToAcknowledge);
        Assert.Equal(TimeSpan.FromMinutes(60), second.TimeToMitigate);
        Assert.Equal(TimeSpan.FromMinutes(120), second.TimeToResolve);
    }

    [Fact]
    public void Figures_per_severity_are_nearest_rank_percentiles()
    {
        var metrics = IncidentMetrics.Of(HandBuilt());

        var sev2 = metrics.BySeverity[IncidentSeverity.Sev2];
        Assert.Equal(4, sev2.Incidents);
        Assert.Equal(new DurationPercentiles(4, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)), sev2.Detect);
        Assert.Equal(new DurationPercentiles(4, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20)), sev2.Acknowledge);
        Assert.Equal(new DurationPercentiles(4, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(120)), sev2.Mitigate);
        Assert.Equal(new DurationPercentiles(4, TimeSpan.FromMinutes(120), TimeSpan.FromMinutes(240)), sev2.Resolve);
    }

    [Fact]
    public void An_open_incident_counts_for_detection_only()
    {
        var sev3 = IncidentMetrics.Of(HandBuilt()).BySeverity[IncidentSeverity.Sev3];

        Assert.Equal(1, sev3.Incidents);
        Assert.Equal(new DurationPercentiles(1, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)), sev3.Detect);
        Assert.Null(sev3.Acknowledge);
        Assert.Null(sev3.Mitigate);
        Assert.Null(sev3.Resolve);
    }

    [Fact]
    public void Figures_are_split_by_line_of_business_and_overall()
    {
        var metrics = IncidentMetrics.Of(HandBuilt());

        Assert.Equal(["inference", "training"], metrics.ByLineOfBusiness.Keys);
        Assert.Equal(4, metrics.ByLineOfBusiness["training"].Incidents);
        Assert.Equal(5, metrics.Overall.Incidents);
        Assert.Equal(new DurationPercentiles(5, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10)), metrics.Overall.Detect);
    }

    [Fact]
    public void No_incidents_give_no_figures()
    {
        var metrics = IncidentMetrics.Of([]);

        Assert.Equal(0, metrics.Overall.Incidents);
        Assert.Null(metrics.Overall.Detect);
        Assert.Empty(metrics.BySeverity);
    }
}
