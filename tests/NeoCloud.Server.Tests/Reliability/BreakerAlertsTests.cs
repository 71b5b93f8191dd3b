using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Operations;
using NeoCloud.Server.Reliability;

namespace NeoCloud.Server.Tests.Reliability;

public sealed class BreakerAlertsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_open_breaker_is_a_critical_alert_from_when_it_was_seen_open_until_it_is_reset()
    {
        IReadOnlyCollection<string> open = ["region:euw1"];
        var alerts = new BreakerAlerts(() => open);

        var first = Assert.Single(alerts.Alerts(T0));
        var later = Assert.Single(alerts.Alerts(T0.AddMinutes(10)));
        Assert.Equal(BreakerAlerts.AlertName, first["alertname"]);
        Assert.Equal("region:euw1", first[BreakerAlerts.ScopeLabel]);
        Assert.Equal("critical", first[IncidentLabels.Severity]);
        Assert.Equal(T0, later.StartsAt);

        open = [];
        Assert.Empty(alerts.Alerts(T0.AddMinutes(20)));
        open = ["region:euw1"];
        Assert.Equal(T0.AddMinutes(30), Assert.Single(alerts.Alerts(T0.AddMinutes(30))).StartsAt);
    }

    [Fact]
    public void A_tripped_breaker_becomes_one_sev1_incident_that_closes_after_the_reset()
    {
        IReadOnlyCollection<string> open = ["fleet"];
        var alerts = new BreakerAlerts(() => open);
        var engine = ReliabilityDefaults.Engine();
        for (int s = 0; s <= 600; s += 10)
        {
            engine.Step(alerts.Alerts(T0.AddSeconds(s)), T0.AddSeconds(s));
        }

        var incident = Assert.Single(engine.Incidents.Incidents);
        Assert.Equal(IncidentSeverity.Sev1, incident.Severity);
        Assert.False(incident.IsResolved);

        open = [];
        for (int s = 610; s <= 1200; s += 10)
        {
            engine.Step(alerts.Alerts(T0.AddSeconds(s)), T0.AddSeconds(s));
        }

        Assert.True(engine.Incidents[incident.Id].IsResolved);
    }
}
