using System.Collections.Immutable;
using System.Globalization;
using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// One incident: a root cause, the alerts it explains, who is affected, and a timeline that only moves forward
/// (open → acknowledged → mitigated → resolved). Values are immutable; every change returns a new incident, and a
/// resolved incident accepts no further change, so its post-incident summary and figures stay true.
/// </summary>
public sealed record Incident
{
    /// <summary>The line of business of incidents whose alerts carry none, so that they still count in the figures.</summary>
    public const string UnassignedLineOfBusiness = "unassigned";

    private Incident(string id, string title, IncidentSeverity severity, string lineOfBusiness, DateTimeOffset onset)
    {
        Id = id;
        Title = title;
        Severity = severity;
        LineOfBusiness = lineOfBusiness;
        Onset = onset;
    }

    public string Id { get; }

    public string Title { get; }

    public IncidentSeverity Severity { get; private init; }

    public IncidentStatus Status { get; private init; } = IncidentStatus.Open;

    public string LineOfBusiness { get; }

    /// <summary>When the problem began: the earliest start of any of its alerts (never after the incident was opened).</summary>
    public DateTimeOffset Onset { get; private init; }

    public ImmutableArray<IncidentEvent> Timeline { get; private init; } = [];

    /// <summary>What the alerts point at (a diagnosis, switch, PDU or rack), replaced by the responder's finding on resolve.</summary>
    public string ProbableRootCause { get; private init; } = string.Empty;

    /// <summary>The root-cause keys (<c>switch=sw-7</c>, <c>neocloud_diagnosis=dgn-…</c>) that make later alerts join this incident.</summary>
    public ImmutableSortedSet<string> CorrelationKeys { get; private init; } = [];

    public ImmutableSortedSet<ulong> AlertFingerprints { get; private init; } = [];

    public ImmutableSortedSet<string> AffectedTenants { get; private init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> AffectedSlos { get; private init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> AffectedNodes { get; private init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> FindingIds { get; private init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> RemediationRunIds { get; private init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public DateTimeOffset OpenedAt => Timeline[0].At;

    public DateTimeOffset? AcknowledgedAt => At(IncidentEventKind.Acknowledged);

    public DateTimeOffset? MitigatedAt => At(IncidentEventKind.Mitigated);

    public DateTimeOffset? ResolvedAt => At(IncidentEventKind.Resolved);

    /// <summary>Onset → opened: how long the problem went unnoticed.</summary>
    public TimeSpan TimeToDetect => OpenedAt - Onset;

    /// <summary>Opened → acknowledged: how long the page waited for a person.</summary>
    public TimeSpan? TimeToAcknowledge => AcknowledgedAt - OpenedAt;

    /// <summary>
    /// Onset → mitigated: how long customers felt it, measured from onset rather than from opening because detection is
    /// part of the outage. An incident resolved without a separate mitigation was mitigated when it was resolved.
    /// </summary>
    public TimeSpan? TimeToMitigate => (MitigatedAt ?? ResolvedAt) - Onset;

    /// <summary>Onset → resolved.</summary>
    public TimeSpan? TimeToResolve => ResolvedAt - Onset;

    public bool IsResolved => Status == IncidentStatus.Resolved;

    /// <summary>Opens an incident for a group of alerts that share one root cause.</summary>
    public static Incident Open(
        string id,
        IReadOnlyCollection<Alert> alerts,
        IEnumerable<string> correlationKeys,
        string probableRootCause,
        DateTimeOffset at,
        string actor,
        string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (alerts.Count == 0)
        {
            throw new ArgumentException($"Incident {id} cannot be opened without alerts.", nameof(alerts));
        }

        string lineOfBusiness = alerts.Select(a => a[IncidentLabels.LineOfBusiness]).FirstOrDefault(l => l.Length > 0)
            ?? UnassignedLineOfBusiness;
        var first = alerts.MinBy(a => a.StartsAt)!;
        string summary = first.Annotations.TryGetValue("summary", out var s) && s.Length > 0 ? s : first["alertname"];
        var opened = new Incident(id, title ?? summary, SeverityOf(alerts), lineOfBusiness, Min(first.StartsAt, at))
        {
            ProbableRootCause = probableRootCause,
            Timeline = [new IncidentEvent(IncidentEventKind.Opened, at, actor, $"opened from {Count(alerts.Count, "alert")}")],
        };
        return opened.Absorb(alerts, correlationKeys);
    }

    /// <summary>Every field of this incident as plain values, for storage; <see cref="FromSnapshot"/> restores it exactly.</summary>
    public IncidentSnapshot ToSnapshot() => new(
        Id,
        Title,
        Severity,
        Status,
        LineOfBusiness,
        Onset,
        [.. Timeline],
        ProbableRootCause,
        [.. CorrelationKeys],
        [.. AlertFingerprints],
        [.. AffectedTenants],
        [.. AffectedSlos],
        [.. AffectedNodes],
        [.. FindingIds],
        [.. RemediationRunIds]);

    /// <summary>
    /// Restores a stored incident exactly as it was snapshotted. A snapshot no incident could have produced (no timeline,
    /// a timeline that goes backwards, a status its timeline does not reach) is refused with every problem listed, so a
    /// damaged record is never mistaken for a real incident.
    /// </summary>
    public static Incident FromSnapshot(IncidentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        string id = snapshot.Id ?? "";
        if (string.IsNullOrWhiteSpace(id))
        {
            problems.Add("the id is blank");
        }

        if (snapshot.Title is null)
        {
            problems.Add("the title is missing");
        }

        if (string.IsNullOrWhiteSpace(snapshot.LineOfBusiness))
        {
            problems.Add("the line of business is blank");
        }

        if (!Enum.IsDefined(snapshot.Severity))
        {
            problems.Add($"severity {(int)snapshot.Severity} is not sev1–sev4");
        }

        if (!Enum.IsDefined(snapshot.Status))
        {
            problems.Add($"status {(int)snapshot.Status} is not a status");
        }

        if (snapshot.ProbableRootCause is null)
        {
            problems.Add("the probable root cause is missing");
        }

        CheckTimeline(snapshot, problems);
        foreach (var (name, list) in new (string, object?)[]
        {
            ("correlationKeys", snapshot.CorrelationKeys), ("alertFingerprints", snapshot.AlertFingerprints),
            ("affectedTenants", snapshot.AffectedTenants), ("affectedSlos", snapshot.AffectedSlos), ("affectedNodes", snapshot.AffectedNodes),
            ("findingIds", snapshot.FindingIds), ("remediationRunIds", snapshot.RemediationRunIds),
        })
        {
            if (list is null)
            {
                problems.Add($"{name} is missing");
            }
            else if (list is IReadOnlyList<string> strings && strings.Any(string.IsNullOrEmpty))
            {
                problems.Add($"{name} holds an empty value");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Incident snapshot '{id}' cannot be restored: {string.Join("; ", problems)}.", nameof(snapshot));
        }

        var restored = new Incident(id, snapshot.Title!, snapshot.Severity, snapshot.LineOfBusiness, snapshot.Onset);
        // Each set is filled from the empty one its property starts with, so it keeps that property's comparer.
        return restored with
        {
            Status = snapshot.Status,
            Timeline = [.. snapshot.Timeline],
            ProbableRootCause = snapshot.ProbableRootCause!,
            CorrelationKeys = restored.CorrelationKeys.Union(snapshot.CorrelationKeys),
            AlertFingerprints = restored.AlertFingerprints.Union(snapshot.AlertFingerprints),
            AffectedTenants = restored.AffectedTenants.Union(snapshot.AffectedTenants),
            AffectedSlos = restored.AffectedSlos.Union(snapshot.AffectedSlos),
            AffectedNodes = restored.AffectedNodes.Union(snapshot.AffectedNodes),
            FindingIds = restored.FindingIds.Union(snapshot.FindingIds),
            RemediationRunIds = restored.RemediationRunIds.Union(snapshot.RemediationRunIds),
        };
    }

    /// <summary>
    /// Attaches alerts that share this incident's root cause. Alerts already attached (Alertmanager re-sends them every
    /// repeat interval) change nothing, so the timeline is not flooded.
    /// </summary>
    public Incident Join(IReadOnlyCollection<Alert> alerts, IEnumerable<string> correlationKeys, string probableRootCause, DateTimeOffset at, string actor)
    {
        RefuseWhenResolved("attach alerts to");
        var fresh = alerts.Where(a => !AlertFingerprints.Contains(a.Fingerprint)).ToList();
        if (fresh.Count == 0)
        {
            return this;
        }

        var severity = (IncidentSeverity)Math.Min((int)Severity, (int)SeverityOf(fresh));
        string note = $"{Count(fresh.Count, "alert")} joined";
        if (severity != Severity)
        {
            note += $"; severity raised from {Name(Severity)} to {Name(severity)}";
        }

        return (this with { Severity = severity, ProbableRootCause = probableRootCause, Onset = Min(Onset, fresh.Min(a => a.StartsAt)) })
            .Absorb(fresh, correlationKeys)
            .Append(IncidentEventKind.AlertsJoined, at, actor, note);
    }

    /// <summary>Someone has taken the incident. Acknowledging it again (or once it is mitigated) changes nothing.</summary>
    public Incident Acknowledge(DateTimeOffset at, string actor, string note = "")
    {
        RefuseWhenResolved("acknowledge");
        return Status == IncidentStatus.Open
            ? this.Append(IncidentEventKind.Acknowledged, at, actor, note) with { Status = IncidentStatus.Acknowledged }
            : this;
    }

    /// <summary>The impact has stopped (traffic drained, node cordoned) though the cause may not be fixed yet.</summary>
    public Incident Mitigate(DateTimeOffset at, string actor, string note = "")
    {
        RefuseWhenResolved("mitigate");
        return Status switch
        {
            IncidentStatus.Open => throw Refused("mitigate", "acknowledge it first, so that someone owns the mitigation"),
            IncidentStatus.Mitigated => throw Refused("mitigate", $"it was mitigated at {MitigatedAt:O}"),
            _ => Append(IncidentEventKind.Mitigated, at, actor, note) with { Status = IncidentStatus.Mitigated },
        };
    }

    /// <summary>The cause is fixed. A root cause given here is the responder's, and replaces the probable one.</summary>
    public Incident Resolve(DateTimeOffset at, string actor, string note = "", string? rootCause = null)
    {
        RefuseWhenResolved("resolve");
        if (Status == IncidentStatus.Open)
        {
            throw Refused("resolve", "acknowledge it first, so that someone owns the resolution");
        }

        var resolved = Append(IncidentEventKind.Resolved, at, actor, note) with { Status = IncidentStatus.Resolved };
        return string.IsNullOrWhiteSpace(rootCause) ? resolved : resolved with { ProbableRootCause = rootCause };
    }

    public Incident LinkFinding(string findingId, DateTimeOffset at, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(findingId);
        RefuseWhenResolved("link a finding to");
        return FindingIds.Contains(findingId)
            ? this
            : Append(IncidentEventKind.Linked, at, actor, $"finding {findingId}") with { FindingIds = FindingIds.Add(findingId) };
    }

    public Incident LinkRemediationRun(string runId, DateTimeOffset at, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        RefuseWhenResolved("link a remediation run to");
        return RemediationRunIds.Contains(runId)
            ? this
            : Append(IncidentEventKind.Linked, at, actor, $"remediation run {runId}") with { RemediationRunIds = RemediationRunIds.Add(runId) };
    }

    internal static string Name(IncidentSeverity severity) => "sev" + ((int)severity).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The most severe level any alert claims. Prometheus rules usually say <c>critical</c>/<c>warning</c> or, for our
    /// burn-rate alerts, <c>page</c>/<c>ticket</c>; an alert that says nothing is a sev3 until a person decides otherwise.
    /// </summary>
    internal static IncidentSeverity SeverityOf(IEnumerable<Alert> alerts) =>
        alerts.Select(a => a[IncidentLabels.Severity].ToLowerInvariant() switch
        {
            "sev1" or "critical" => IncidentSeverity.Sev1,
            "sev2" or "page" or "error" => IncidentSeverity.Sev2,
            "sev4" or "info" or "none" => IncidentSeverity.Sev4,
            _ => IncidentSeverity.Sev3,
        }).DefaultIfEmpty(IncidentSeverity.Sev3).Min();

    private static void CheckTimeline(IncidentSnapshot snapshot, List<string> problems)
    {
        var timeline = snapshot.Timeline;
        if (timeline is null || timeline.Count == 0)
        {
            problems.Add("the timeline is empty (an incident starts with its opening)");
            return;
        }

        if (timeline[0] is not { Kind: IncidentEventKind.Opened })
        {
            problems.Add($"the timeline starts with {timeline[0]?.Kind.ToString() ?? "nothing"}, not Opened");
        }

        var status = IncidentStatus.Open;
        for (int i = 0; i < timeline.Count; i++)
        {
            var e = timeline[i];
            if (e is null || string.IsNullOrWhiteSpace(e.Actor) || e.Note is null)
            {
                problems.Add($"timeline event {i} has no actor or note");
                continue;
            }

            if (i > 0 && timeline[i - 1] is { } previous && e.At < previous.At)
            {
                problems.Add($"timeline event {i} ({e.Kind} at {e.At:O}) is before event {i - 1} ({previous.At:O})");
            }

            if (i > 0 && e.Kind == IncidentEventKind.Opened)
            {
                problems.Add($"timeline event {i} opens the incident a second time");
            }

            status = e.Kind switch
            {
                IncidentEventKind.Acknowledged => IncidentStatus.Acknowledged,
                IncidentEventKind.Mitigated => IncidentStatus.Mitigated,
                IncidentEventKind.Resolved => IncidentStatus.Resolved,
                _ => status,
            };
        }

        if (status != snapshot.Status)
        {
            problems.Add($"its status is {snapshot.Status} but its timeline ends {status}");
        }

        if (snapshot.Onset > timeline[0]?.At)
        {
            problems.Add($"its onset {snapshot.Onset:O} is after it was opened ({timeline[0]!.At:O})");
        }
    }

    private Incident Absorb(IEnumerable<Alert> alerts, IEnumerable<string> correlationKeys)
    {
        var list = alerts as IReadOnlyCollection<Alert> ?? alerts.ToList();
        return this with
        {
            CorrelationKeys = CorrelationKeys.Union(correlationKeys),
            AlertFingerprints = AlertFingerprints.Union(list.Select(a => a.Fingerprint)),
            AffectedTenants = AffectedTenants.Union(Values(list, IncidentLabels.Tenant)),
            AffectedSlos = AffectedSlos.Union(Values(list, IncidentLabels.Slo)),
            AffectedNodes = AffectedNodes.Union(Values(list, IncidentLabels.Node)),
            FindingIds = FindingIds.Union(Values(list, IncidentLabels.Finding)),
        };

        static IEnumerable<string> Values(IEnumerable<Alert> alerts, string label) =>
            alerts.Select(a => a[label]).Where(v => v.Length > 0);
    }

    private Incident Append(IncidentEventKind kind, DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var last = Timeline[^1];
        if (at < last.At)
        {
            // A timeline that goes backwards would make every duration computed from it a lie.
            throw new ArgumentOutOfRangeException(
                nameof(at), at, $"Incident {Id}: {kind} at {at:O} is before the last event ({last.Kind} at {last.At:O}).");
        }

        return this with { Timeline = Timeline.Add(new IncidentEvent(kind, at, actor, note)) };
    }

    private DateTimeOffset? At(IncidentEventKind kind)
    {
        foreach (var e in Timeline)
        {
            if (e.Kind == kind)
            {
                return e.At;
            }
        }

        return null;
    }

    private void RefuseWhenResolved(string action)
    {
        if (Status == IncidentStatus.Resolved)
        {
            throw Refused(action, $"it was resolved at {ResolvedAt:O} and is closed");
        }
    }

    private IncidentTransitionException Refused(string action, string why) =>
        new(Id, Status, $"Cannot {action} incident {Id}: it is {Status.ToString().ToLowerInvariant()}; {why}.");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
