using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Reliability.Operations;

/// <summary>
/// The regional controller's alert-to-incident loop, clock-free so the host and the simulator run the same code: each
/// <see cref="Step"/> takes the alerts every source says exist now (Health diagnoses, SLO burn rates, metric anomalies),
/// hands what changed to the <see cref="AlertPipeline"/> (grouping, inhibition, silences), turns the notifications it
/// flushes into incidents through the <see cref="IncidentTracker"/> (one per root cause), and lets automation move those
/// incidents along: a remediation run on an incident's alert acknowledges it, a run that fenced the hardware and moved
/// the work mitigates it, and an incident whose alerts have all ended and stayed quiet is resolved. Not thread-safe.
/// </summary>
public sealed class ReliabilityEngine
{
    /// <summary>The actor under which Health's remediation is credited with acknowledging and mitigating incidents.</summary>
    public const string RemediationActor = "automation:health-remediation";

    private readonly ReliabilityEngineOptions _options;
    private readonly Dictionary<ulong, Alert> _known = [];
    private readonly Dictionary<ulong, string> _incidentOfAlert = [];

    public ReliabilityEngine(AlertPipeline pipeline, IncidentTracker tracker, ReliabilityEngineOptions? options = null)
    {
        Pipeline = pipeline;
        Incidents = tracker;
        _options = options ?? new ReliabilityEngineOptions();
    }

    public AlertPipeline Pipeline { get; }

    public IncidentTracker Incidents { get; }

    /// <summary>Every alert the engine knows as of its last step: firing, and recently ended.</summary>
    public IReadOnlyCollection<Alert> Alerts => _known.Values;

    /// <summary>The unresolved incident an alert belongs to, if any.</summary>
    public string? IncidentOf(ulong fingerprint) => _incidentOfAlert.GetValueOrDefault(fingerprint);

    /// <summary>
    /// One step at <paramref name="now"/>. <paramref name="current"/> is the whole set of alerts the sources report now
    /// (firing ones, and ended ones with their end); an alert that was firing and is no longer reported has ended now.
    /// </summary>
    public ReliabilityStep Step(IEnumerable<Alert> current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var changed = new List<Alert>();
        var newlyFiring = new List<Alert>();
        var seen = new HashSet<ulong>();
        foreach (var alert in current)
        {
            if (!seen.Add(alert.Fingerprint))
            {
                continue;
            }

            bool firing = !alert.IsResolvedAt(now);
            if (!_known.TryGetValue(alert.Fingerprint, out var known))
            {
                if (firing)
                {
                    newlyFiring.Add(alert);
                    changed.Add(alert);
                    _known[alert.Fingerprint] = alert;
                }

                continue;
            }

            if (firing && known.IsResolvedAt(now))
            {
                newlyFiring.Add(alert);
            }

            if (!Same(known, alert))
            {
                changed.Add(alert);
                _known[alert.Fingerprint] = alert;
            }
        }

        foreach (var (fingerprint, known) in _known)
        {
            if (!seen.Contains(fingerprint) && !known.IsResolvedAt(now))
            {
                changed.Add(known.ResolvedAt(now));
            }
        }

        foreach (var alert in changed)
        {
            _known[alert.Fingerprint] = alert;
        }

        if (changed.Count > 0)
        {
            Pipeline.Receive(changed, now);
        }

        var notifications = Pipeline.Flush(now);
        var opened = new List<string>();
        var touched = new Dictionary<string, Incident>(StringComparer.Ordinal);
        foreach (var notification in notifications)
        {
            // A repeat of alerts that already have their incident changes nothing; fresh ones open or join one.
            var fresh = notification.Firing.Where(a => !_incidentOfAlert.ContainsKey(a.Fingerprint)).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            int before = Incidents.IncidentCount;
            var incident = Incidents.Raise(fresh, now);
            if (Incidents.IncidentCount > before)
            {
                opened.Add(incident.Id);
            }

            foreach (var alert in fresh)
            {
                _incidentOfAlert[alert.Fingerprint] = incident.Id;
            }

            touched[incident.Id] = incident;
        }

        foreach (var incident in Incidents.Unresolved.ToList())
        {
            if (Automate(incident, now) is { } updated)
            {
                touched[updated.Id] = updated;
            }
        }

        Forget(now);
        var openedSet = opened.ToHashSet(StringComparer.Ordinal);
        return new ReliabilityStep(
            now,
            notifications,
            [.. opened.Select(id => touched[id])],
            [.. touched.Values.Where(i => !openedSet.Contains(i.Id))])
        {
            NewlyFiring = newlyFiring,
        };
    }

    /// <summary>What automation does to one unresolved incident now; null when nothing changed.</summary>
    private Incident? Automate(Incident incident, DateTimeOffset now)
    {
        var start = incident;
        var alerts = incident.AlertFingerprints.Select(f => _known.GetValueOrDefault(f)).ToList();
        var firing = alerts.Where(a => a is not null && !a.IsResolvedAt(now)).Select(a => a!).ToList();

        foreach (string run in alerts.Select(a => a?.Annotations.GetValueOrDefault(HealthAlertNames.RunAnnotation)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            incident = Incidents.LinkRemediationRun(incident.Id, run, now, RemediationActor);
            if (incident.Status == IncidentStatus.Open)
            {
                incident = Incidents.Acknowledge(incident.Id, now, RemediationActor, $"remediation run {run} owns it");
            }
        }

        if (firing.Count > 0)
        {
            bool allFenced = firing.All(a => a.Annotations.GetValueOrDefault(HealthAlertNames.MitigatedAnnotation) == "true");
            if (allFenced && incident.Status == IncidentStatus.Acknowledged)
            {
                incident = Incidents.Mitigate(incident.Id, now, RemediationActor, "the hardware is fenced and its work moved");
            }
        }
        else
        {
            var quietSince = alerts.Select(a => a?.EndsAt).OfType<DateTimeOffset>().DefaultIfEmpty(incident.OpenedAt).Max();
            if (now - quietSince >= _options.ResolveAfterQuiet)
            {
                string note = $"all {alerts.Count} alerts ended by {quietSince:O} and stayed quiet";
                if (incident.Status == IncidentStatus.Open)
                {
                    incident = Incidents.Acknowledge(incident.Id, now, _options.Actor, "ended before anyone acknowledged it");
                }

                incident = Incidents.Resolve(incident.Id, now, _options.Actor, note);
                foreach (ulong fingerprint in incident.AlertFingerprints)
                {
                    if (_incidentOfAlert.GetValueOrDefault(fingerprint) == incident.Id)
                    {
                        _incidentOfAlert.Remove(fingerprint);
                    }
                }
            }
        }

        return ReferenceEquals(incident, start) ? null : incident;
    }

    private void Forget(DateTimeOffset now)
    {
        List<ulong>? old = null;
        foreach (var (fingerprint, alert) in _known)
        {
            if (alert.EndsAt is { } end && end + _options.ForgetResolvedAfter <= now && !_incidentOfAlert.ContainsKey(fingerprint))
            {
                (old ??= []).Add(fingerprint);
            }
        }

        foreach (ulong fingerprint in old ?? [])
        {
            _known.Remove(fingerprint);
        }
    }

    private static bool Same(Alert a, Alert b) =>
        ReferenceEquals(a, b)
        || (a.StartsAt == b.StartsAt
        && a.EndsAt == b.EndsAt
        && a.Annotations.Count == b.Annotations.Count
        && a.Annotations.All(kv => b.Annotations.TryGetValue(kv.Key, out var v) && v == kv.Value));
}
