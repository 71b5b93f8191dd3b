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

    /// <summary>
    /// Rebuilds an incident from its stored parts (a store's record read back after a restart). The timeline must start
    /// with its opening, never go backwards, and agree with the status, so a damaged record is refused with what is wrong
    /// instead of yielding an incident whose durations lie.
    /// </summary>
    public static Incident Rehydrate(
        string id,
        string title,
        IncidentSeverity severity,
        IncidentStatus status,
        string lineOfBusiness,
        DateTimeOffset onset,
        IEnumerable<IncidentEvent> timeline,
        string probableRootCause,
        IEnumerable<string> correlationKeys,
        IEnumerable<ulong> alertFingerprints,
        IEnumerable<string> affectedTenants,
        IEnumerable<string> affectedSlos,
        IEnumerable<string> affectedNodes,
        IEnumerable<string> findingIds,
        IEnumerable<string> remediationRunIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(timeline);
        if (!Enum.IsDefined(severity) || !Enum.IsDefined(status))
        {
            throw new ArgumentException($"Incident {id}: severity {severity} or status {status} is not a known value.");
        }

        var events = timeline.ToImmutableArray();
        if (events.Length == 0 || events[0].Kind != IncidentEventKind.Opened)
        {
            throw new ArgumentException($"Incident {id}: a timeline must start with its opening.", nameof(timeline));
        }

        for (int i = 1; i < events.Length; i++)
        {
            if (events[i].At < events[i - 1].At)
            {
                throw new ArgumentException(
                    $"Incident {id}: timeline event {i} ({events[i].Kind} at {events[i].At:O}) is before the one before it ({events[i - 1].At:O}).", nameof(timeline));
            }
        }

        var expected = events.Any(e => e.Kind == IncidentEventKind.Resolved) ? IncidentStatus.Resolved
            : events.Any(e => e.Kind == IncidentEventKind.Mitigated) ? IncidentStatus.Mitigated
            : events.Any(e => e.Kind == IncidentEventKind.Acknowledged) ? IncidentStatus.Acknowledged
            : IncidentStatus.Open;
        if (expected != status)
        {
            throw new ArgumentException($"Incident {id}: status {status} contradicts its timeline, which says {expected}.", nameof(status));
        }

        return new Incident(id, string.IsNullOrWhiteSpace(title) ? id : title, severity, string.IsNullOrWhiteSpace(lineOfBusiness) ? UnassignedLineOfBusiness : lineOfBusiness, onset)
        {
            Status = status,
            Timeline = events,
            ProbableRootCause = probableRootCause ?? string.Empty,
            CorrelationKeys = [.. correlationKeys ?? []],
            AlertFingerprints = [.. alertFingerprints ?? []],
            AffectedTenants = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, affectedTenants ?? []),
            AffectedSlos = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, affectedSlos ?? []),
            AffectedNodes = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, affectedNodes ?? []),
            FindingIds = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, findingIds ?? []),
            RemediationRunIds = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, remediationRunIds ?? []),
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
