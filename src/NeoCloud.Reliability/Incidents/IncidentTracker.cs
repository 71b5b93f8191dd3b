using System.Globalization;
using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// Keeps the incidents of one control plane: opens one per root cause from groups of alerts, so that alerts sharing a
/// failure domain (switch, PDU, rack) or a Health diagnosis join the open incident instead of opening another, and moves
/// incidents through their lifecycle. Pure and clock-free (times are passed in); like <see cref="AlertPipeline"/> it is
/// owned by one loop and is not thread-safe.
/// </summary>
public sealed class IncidentTracker
{
    private const string IdPrefix = "INC-";

    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Root-cause key → the unresolved incident that owns it, so that a storm of alerts is matched without a scan.</summary>
    private readonly Dictionary<string, string> _unresolvedByKey = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _failureDomainLabels;
    private int _sequence;

    /// <param name="failureDomainLabels">Failure-domain labels, widest first; <see cref="IncidentLabels.FailureDomainLabels"/> by default.</param>
    public IncidentTracker(IReadOnlyList<string>? failureDomainLabels = null)
    {
        _failureDomainLabels = failureDomainLabels ?? IncidentLabels.FailureDomainLabels;
    }

    /// <summary>
    /// A tracker that carries on from stored incidents (a restarted controller): unresolved incidents own their
    /// root-cause keys again, so later alerts keep joining them, and new ids continue after the highest stored
    /// <c>INC-n</c>, so they never collide with a stored one. When two unresolved incidents carry one key, the one
    /// opened first owns it, as it did when both were live in the common case.
    /// </summary>
    public static IncidentTracker Restore(IEnumerable<Incident> incidents, IReadOnlyList<string>? failureDomainLabels = null)
    {
        var tracker = new IncidentTracker(failureDomainLabels);
        tracker.Restore(incidents);
        return tracker;
    }

    /// <summary>Every incident, oldest first.</summary>
    public IReadOnlyList<Incident> Incidents => _order.Select(id => _incidents[id]).ToList();

    /// <summary>How many incidents there are, resolved or not.</summary>
    public int IncidentCount => _order.Count;

    public IEnumerable<Incident> Unresolved => _order.Select(id => _incidents[id]).Where(i => !i.IsResolved);

    public Incident this[string id] => _incidents.TryGetValue(id, out var incident)
        ? incident
        : throw new KeyNotFoundException($"There is no incident {id}.");

    /// <summary>
    /// Takes a group of firing alerts (one Alertmanager notification, say). When any of them shares a root-cause key
    /// with an unresolved incident they all join it; otherwise they open a new incident. Returns the incident either way.
    /// </summary>
    public Incident Raise(IReadOnlyCollection<Alert> alerts, DateTimeOffset at, string actor = "alertmanager")
    {
        if (alerts.Count == 0)
        {
            throw new ArgumentException("An incident needs at least one alert.", nameof(alerts));
        }

        var keys = alerts.SelectMany(KeysOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // Keys are sorted, so a group that touches two open incidents always joins the same one of them.
        var existing = keys.Select(k => _unresolvedByKey.GetValueOrDefault(k)).OfType<string>().Select(id => _incidents[id]).FirstOrDefault();
        if (existing is not null)
        {
            int alertCount = existing.AlertFingerprints.Union(alerts.Select(a => a.Fingerprint)).Count;
            string rootCause = RootCauseOf(alertCount, existing.CorrelationKeys.Union(keys), existing.AffectedNodes.Union(Nodes(alerts)));
            var joined = existing.Join(alerts, keys, rootCause, at, actor);
            return Store(joined);
        }

        string id = IdPrefix + (++_sequence).ToString("D4", CultureInfo.InvariantCulture);
        var opened = Incident.Open(id, alerts, keys, RootCauseOf(alerts.Count, keys, Nodes(alerts)), at, actor, TitleOf(alerts, keys));
        _order.Add(id);
        return Store(opened);
    }

    /// <summary>
    /// Takes back incidents kept by a store after a restart (into a tracker an engine already holds): numbering continues
    /// after the highest <c>INC-n</c>, and alerts sharing a root cause with an unresolved one join it. An incident already
    /// known is replaced by the restored version.
    /// </summary>
    public void Restore(IEnumerable<Incident> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var list = incidents.ToList();
        var duplicates = list.GroupBy(i => i.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Incidents {string.Join(", ", duplicates)} are given more than once.", nameof(incidents));
        }

        // Ids are handed out in the order incidents are raised, so their numbers are that order; others follow by opening.
        foreach (var incident in list
            .OrderBy(i => SequenceOf(i.Id) ?? int.MaxValue)
            .ThenBy(i => i.OpenedAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            if (!_incidents.ContainsKey(incident.Id))
            {
                _order.Add(incident.Id);
            }

            Store(incident);
            _sequence = Math.Max(_sequence, SequenceOf(incident.Id) ?? 0);
        }
    }

    public Incident Acknowledge(string id, DateTimeOffset at, string actor, string note = "") => Store(this[id].Acknowledge(at, actor, note));

    public Incident Mitigate(string id, DateTimeOffset at, string actor, string note = "") => Store(this[id].Mitigate(at, actor, note));

    public Incident Resolve(string id, DateTimeOffset at, string actor, string note = "", string? rootCause = null) =>
        Store(this[id].Resolve(at, actor, note, rootCause));

    public Incident LinkFinding(string id, string findingId, DateTimeOffset at, string actor) => Store(this[id].LinkFinding(findingId, at, actor));

    public Incident LinkRemediationRun(string id, string runId, DateTimeOffset at, string actor) =>
        Store(this[id].LinkRemediationRun(runId, at, actor));

    private Incident Store(Incident incident)
    {
        _incidents[incident.Id] = incident;
        foreach (string key in incident.CorrelationKeys)
        {
            if (!incident.IsResolved)
            {
                _unresolvedByKey.TryAdd(key, incident.Id);
            }
            else if (_unresolvedByKey.GetValueOrDefault(key) == incident.Id)
            {
                _unresolvedByKey.Remove(key);
            }
        }

        return incident;
    }

    /// <summary>
    /// The alert's root-cause keys as <c>label=value</c>: its Health diagnosis, the SLO it burns, and its widest failure
    /// domain. All are kept so that an alert the Health context has diagnosed still meets the undiagnosed alerts of the
    /// same switch, and the page and ticket alerts of one SLO are one incident.
    /// </summary>
    private IEnumerable<string> KeysOf(Alert alert)
    {
        string diagnosis = alert[IncidentLabels.Diagnosis];
        if (diagnosis.Length > 0)
        {
            yield return IncidentLabels.Diagnosis + "=" + diagnosis;
        }

        string slo = alert[IncidentLabels.Slo];
        if (slo.Length > 0)
        {
            yield return IncidentLabels.Slo + "=" + slo;
        }

        foreach (string label in _failureDomainLabels)
        {
            string value = alert[label];
            if (value.Length > 0)
            {
                yield return label + "=" + value;
                yield break;
            }
        }
    }

    /// <summary>n of an id this tracker handed out (<c>INC-n</c>); null for any other id.</summary>
    private static int? SequenceOf(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal)
        && int.TryParse(id.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : null;

    private static IEnumerable<string> Nodes(IEnumerable<Alert> alerts) =>
        alerts.Select(a => a[IncidentLabels.Node]).Where(n => n.Length > 0);

    private static string RootCauseOf(int alertCount, IEnumerable<string> keys, IEnumerable<string> nodes)
    {
        var keyList = keys.ToList();
        int nodeCount = nodes.Distinct(StringComparer.Ordinal).Count();
        string spread = nodeCount > 0 ? $"{Count(alertCount, "alert")} on {Count(nodeCount, "node")}" : Count(alertCount, "alert");
        if (keyList.Count == 0)
        {
            return $"unknown: {spread} share no failure domain or diagnosis";
        }

        // Diagnoses first (the strongest sign of one cause), then the widest failure domains the alerts share: nodes are
        // named only when nothing wider is, so a switch incident does not list its 32 nodes.
        var diagnoses = keyList.Where(k => k.StartsWith(IncidentLabels.Diagnosis + "=", StringComparison.Ordinal))
            .Select(k => "Health diagnosis " + k[(IncidentLabels.Diagnosis.Length + 1)..]);
        var domains = keyList.Where(k => !k.StartsWith(IncidentLabels.Diagnosis + "=", StringComparison.Ordinal)).ToList();
        var wide = domains.Where(k => !k.StartsWith(IncidentLabels.Node + "=", StringComparison.Ordinal)).ToList();
        var named = diagnoses.Concat((wide.Count > 0 ? wide : domains).Select(k => k.Replace('=', ' '))).ToList();
        string cause = named.Count <= 3 ? string.Join(", ", named) : string.Join(", ", named.Take(3)) + $" and {named.Count - 3} more";
        return $"{cause} ({spread})";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string TitleOf(IReadOnlyCollection<Alert> alerts, IReadOnlyList<string> keys)
    {
        string names = string.Join(", ", alerts.Select(a => a["alertname"]).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (names.Length == 0)
        {
            names = "alerts";
        }

        // The failure domain reads better in a title than a diagnosis id, which the root cause names anyway.
        string? where = keys.FirstOrDefault(k => !k.StartsWith(IncidentLabels.Diagnosis + "=", StringComparison.Ordinal)) ?? keys.FirstOrDefault();
        return where is null ? names : $"{names} on {where.Replace('=', ' ')}";
    }
}
