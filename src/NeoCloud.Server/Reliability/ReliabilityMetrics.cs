using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Notifications;
using NeoCloud.Server.Observability;
using Prometheus;

namespace NeoCloud.Server.Reliability;

/// <summary>The reliability loop's Prometheus series on the host's <c>/metrics</c>: alerts, incidents, notifications, pages.</summary>
public sealed class ReliabilityMetrics
{
    private static readonly string[] Severities = ["sev1", "sev2", "sev3", "sev4"];
    private readonly Gauge _alertsFiring;
    private readonly Gauge _incidentsOpen;
    private readonly Counter _incidentsTotal;
    private readonly Histogram _timeToDetect;
    private readonly Histogram _timeToResolve;
    private readonly Counter _notifications;
    private readonly Counter _pages;

    public ReliabilityMetrics(FleetMetrics host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var factory = host.Factory;
        // Minutes to a day: detection is seconds to minutes, resolution minutes to hours.
        double[] buckets = [15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400];
        _alertsFiring = factory.CreateGauge("neocloud_alerts_firing", "Alerts firing now, by their severity label.", new GaugeConfiguration { LabelNames = ["severity"] });
        _incidentsOpen = factory.CreateGauge("neocloud_incidents_open", "Unresolved incidents, by severity.", new GaugeConfiguration { LabelNames = ["severity"] });
        _incidentsTotal = factory.CreateCounter("neocloud_incidents_total", "Incidents opened, by severity.", new CounterConfiguration { LabelNames = ["severity"] });
        _timeToDetect = factory.CreateHistogram(
            "neocloud_incident_time_to_detect_seconds", "Onset to opening of each incident (virtual time when the twin runs).", new HistogramConfiguration { Buckets = buckets });
        _timeToResolve = factory.CreateHistogram(
            "neocloud_incident_time_to_resolve_seconds", "Onset to resolution of each incident (virtual time when the twin runs).", new HistogramConfiguration { Buckets = buckets });
        _notifications = factory.CreateCounter(
            "neocloud_notifications_total", "Webhook notifications, by receiver and outcome (sent, duplicate, rejected, gave-up).",
            new CounterConfiguration { LabelNames = ["receiver", "outcome"] });
        _pages = factory.CreateCounter("neocloud_pages_total", "Pages sent for unacknowledged sev1/sev2 incidents (one per person paged).");
    }

    public void Opened(Incident incident)
    {
        _incidentsTotal.WithLabels(IncidentRecord.SeverityName(incident.Severity)).Inc();
        _timeToDetect.Observe(Math.Max(0, incident.TimeToDetect.TotalSeconds));
    }

    public void Resolved(Incident incident)
    {
        if (incident.TimeToResolve is { } resolve)
        {
            _timeToResolve.Observe(Math.Max(0, resolve.TotalSeconds));
        }
    }

    public void Notified(string receiver, DeliveryOutcome outcome) =>
        _notifications.WithLabels(receiver, Json.WireNames.Of(outcome)).Inc();

    public void Paged(int people) => _pages.Inc(people);

    /// <summary>Sets the gauges from the state after a step, zeroing severities that have none, so no series goes stale.</summary>
    public void Observe(IEnumerable<Alert> firing, IEnumerable<Incident> unresolved)
    {
        var alerts = firing.GroupBy(a => a[IncidentLabels.Severity] is { Length: > 0 } s ? s : "none").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (string severity in _alertsFiring.GetAllLabelValues().Select(l => l[0]).Concat(alerts.Keys).Distinct(StringComparer.Ordinal).ToList())
        {
            _alertsFiring.WithLabels(severity).Set(alerts.GetValueOrDefault(severity));
        }

        var open = unresolved.GroupBy(i => IncidentRecord.SeverityName(i.Severity)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (string severity in Severities)
        {
            _incidentsOpen.WithLabels(severity).Set(open.GetValueOrDefault(severity));
        }
    }
}
