using System.Globalization;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Sources;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.SelfHealing;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// Scores the alerts and incidents raised over the twin against its ground truth (the injected faults, and the SLIs'
/// recorded events): which raised alerts a real fault or a real SLO burn backs (precision), which page-worthy events some
/// raised alert covered (recall), how many incidents each real fault caused, and MTTD/MTTA/MTTR per severity. The
/// definitions are those of docs/alerts-on-the-twin.md.
/// </summary>
internal sealed class AlertScorer(FleetTopology topology, AlertScoring? scoring = null)
{
    private readonly AlertScoring _scoring = scoring ?? new AlertScoring();

    /// <param name="faults">The twin's ground truth, latest versions (cleared faults carry their end).</param>
    /// <param name="raised">Alert episodes that reached a receiver.</param>
    /// <param name="incidents">Every incident the engine opened.</param>
    /// <param name="slos">The SLO objectives kept over the twin, with their recorded events.</param>
    /// <param name="findingsOf">The finding ids of a diagnosis (for job alerts, which name no hardware).</param>
    /// <param name="faultOfFinding">The injected fault the health scorer matched each finding to, by finding id.</param>
    /// <param name="start">When the run began.</param>
    /// <param name="end">When it ended.</param>
    public AlertSummary Score(
        IReadOnlyList<InjectedFault> faults,
        IReadOnlyList<RaisedAlert> raised,
        IReadOnlyList<Incident> incidents,
        IReadOnlyList<TwinSlo> slos,
        Func<string, IReadOnlyList<string>> findingsOf,
        IReadOnlyDictionary<string, string> faultOfFinding,
        DateTimeOffset start,
        DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(raised);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(slos);
        ArgumentNullException.ThrowIfNull(findingsOf);
        ArgumentNullException.ThrowIfNull(faultOfFinding);

        var byKey = new Dictionary<string, List<InjectedFault>>(StringComparer.Ordinal);
        foreach (var fault in faults)
        {
            foreach (string key in KeysOf(fault))
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }

                list.Add(fault);
            }
        }

        // Precision: each raised episode is backed by a fault on what it names, or by a real burn of its SLO.
        int truePositive = 0;
        var falsePositives = new List<string>();
        var faultsOfAlert = new Dictionary<RaisedAlert, List<InjectedFault>>();
        var causeOfAlert = new Dictionary<RaisedAlert, List<InjectedFault>>();
        foreach (var episode in raised)
        {
            bool backed;
            if (episode.IsSlo)
            {
                var slo = slos.FirstOrDefault(s => s.Name == episode.Alert[NeoCloud.Reliability.Export.RuleNames.SloLabel]
                    && s.Evaluator.Objective.Name == episode.Alert[NeoCloud.Reliability.Export.RuleNames.ObjectiveLabel]);
                backed = slo?.WindowOf(episode.Alert) is { } window && slo.Burns(window, episode.Alert.StartsAt);
            }
            else
            {
                var explained = Explaining(episode.Alert, byKey, findingsOf, faultOfFinding, faults, out int primary);
                faultsOfAlert[episode] = explained;
                causeOfAlert[episode] = explained.Take(primary).ToList();
                backed = explained.Count > 0;
            }

            if (backed)
            {
                truePositive++;
            }
            else if (falsePositives.Count < 20)
            {
                falsePositives.Add(Describe(episode.Alert) + (episode.IsSlo ? SloReading(slos, episode.Alert) : string.Empty));
            }
        }

        // Recall: fatal faults and SLO page-level breaches, each covered by some raised alert.
        var pageWorthyFaults = faults.Where(f => f.Fatal && f.OnsetAt <= end - _scoring.Horizon).ToList();
        var missed = new List<string>();
        int recalled = 0;
        var covers = raised.Where(r => !r.IsSlo).Select(r => (Episode: r, Keys: CoverKeysOf(r.Alert))).ToList();
        foreach (var fault in pageWorthyFaults)
        {
            var keys = KeysOf(fault).ToHashSet(StringComparer.Ordinal);
            var faultEnd = (fault.ClearedAt ?? end) + _scoring.Slack;
            bool covered = covers.Any(c =>
                c.Episode.Alert.StartsAt <= faultEnd
                && (c.Episode.EndedAt ?? end) >= fault.OnsetAt - _scoring.Tolerance
                && (c.Keys.Overlaps(keys) || causeOfAlert.GetValueOrDefault(c.Episode)?.Contains(fault) == true));
            if (covered)
            {
                recalled++;
            }
            else if (missed.Count < 20)
            {
                missed.Add($"{fault.Id} {fault.Kind} on {fault.Target} at {fault.OnsetAt:O}");
            }
        }

        var outcomes = new SortedDictionary<string, SloOutcome>(StringComparer.Ordinal);
        int breaches = 0;
        foreach (var slo in slos)
        {
            var episodes = PageBreaches(slo, start, end);
            var alerts = raised.Where(r => r.IsSlo && r.Alert[NeoCloud.Reliability.Export.RuleNames.SloLabel] == slo.Name
                && r.Alert[NeoCloud.Reliability.Export.RuleNames.ObjectiveLabel] == slo.Evaluator.Objective.Name).ToList();
            foreach (var (from, to) in episodes.Where(e => e.From <= end - _scoring.Horizon))
            {
                breaches++;
                if (alerts.Any(a => a.Alert.StartsAt <= to + SliRecord.Bucket && (a.EndedAt ?? end) >= from))
                {
                    recalled++;
                }
                else if (missed.Count < 20)
                {
                    missed.Add(string.Create(CultureInfo.InvariantCulture, $"SLO {slo.Name} page-level burn {from:O} to {to:O}"));
                }
            }

            var period = slo.Evaluator.Evaluate(slo.Series, TwinSlo.BeforeMinute(end));
            outcomes[$"{slo.Name}/{slo.Evaluator.Objective.Name}"] = new SloOutcome(
                (double)slo.Evaluator.Objective.Target,
                period.Period.Total == 0 ? 1 : Math.Round(1 - period.Period.ErrorRatio, 6),
                Math.Round(period.BudgetRemaining, 4),
                episodes.Count,
                alerts.Count);
        }

        // Grouping: incidents that real faults caused, over the distinct faults behind them.
        var episodesByFingerprint = raised.Where(r => !r.IsSlo).ToLookup(r => r.Alert.Fingerprint);
        int faultIncidents = 0;
        var faultsWithIncident = new HashSet<string>(StringComparer.Ordinal);
        var incidentsOfFault = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var incident in incidents)
        {
            var behind = incident.AlertFingerprints
                .SelectMany(f => episodesByFingerprint[f])
                .Where(e => e.Alert.StartsAt <= (incident.ResolvedAt ?? end) && (e.EndedAt ?? end) >= incident.OpenedAt - TimeSpan.FromHours(1))
                .SelectMany(e => causeOfAlert.GetValueOrDefault(e) ?? [])
                .Select(f => f.Id)
                .ToList();
            if (behind.Count > 0)
            {
                faultIncidents++;
                faultsWithIncident.UnionWith(behind);
                foreach (string id in behind.Distinct(StringComparer.Ordinal))
                {
                    if (!incidentsOfFault.TryGetValue(id, out var list))
                    {
                        incidentsOfFault[id] = list = [];
                    }

                    list.Add($"{incident.Id} {incident.OpenedAt:HH:mm:ss}-{incident.ResolvedAt:HH:mm:ss} ({incident.Title})");
                }
            }
        }

        int pageWorthy = pageWorthyFaults.Count + breaches;
        var metrics = IncidentMetrics.Of(incidents);
        var bySeverity = new SortedDictionary<string, SeverityFigures>(StringComparer.Ordinal);
        foreach (var (severity, figures) in metrics.BySeverity)
        {
            bySeverity["sev" + ((int)severity).ToString(CultureInfo.InvariantCulture)] = new SeverityFigures(
                figures.Incidents, Seconds(figures.Detect), Seconds(figures.Acknowledge), Seconds(figures.Resolve));
        }

        return new AlertSummary(
            raised.Count,
            truePositive,
            raised.Count == 0 ? 1 : Math.Round((double)truePositive / raised.Count, 4),
            pageWorthy,
            recalled,
            pageWorthy == 0 ? 1 : Math.Round((double)recalled / pageWorthy, 4),
            incidents.Count,
            faultsWithIncident.Count,
            faultsWithIncident.Count == 0 ? 0 : Math.Round((double)faultIncidents / faultsWithIncident.Count, 3),
            new SortedDictionary<string, int>(
                raised.GroupBy(r => r.Alert["alertname"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                StringComparer.Ordinal),
            breaches,
            outcomes,
            bySeverity)
        {
            FalsePositives = falsePositives,
            Missed = missed,
            SplitFaults = [.. incidentsOfFault.Where(kv => kv.Value.Count > 1).Take(20).Select(kv => $"{kv.Key}: {string.Join("; ", kv.Value)}")],
        };
    }

    /// <summary>
    /// Minutes when the recorded events burn any page window pair, joined into episodes (first and last burning minute).
    /// </summary>
    public static List<(DateTimeOffset From, DateTimeOffset To)> PageBreaches(TwinSlo slo, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var pages = slo.Evaluator.Windows.Where(w => w.Severity == AlertSeverity.Page).ToList();
        var episodes = new List<(DateTimeOffset From, DateTimeOffset To)>();
        DateTimeOffset? from = null;
        var last = start;
        for (var t = start; t <= end; t += SliRecord.Bucket)
        {
            bool burning = pages.Any(w => slo.Burns(w, t));
            if (burning)
            {
                from ??= t;
                last = t;
            }
            else if (from is { } f)
            {
                episodes.Add((f, last));
                from = null;
            }
        }

        if (from is { } open)
        {
            episodes.Add((open, last));
        }

        return episodes;
    }

    /// <summary>The faults that explain a Health alert: on the part it names (or its node), active at its start.</summary>
    private List<InjectedFault> Explaining(
        Alert alert, Dictionary<string, List<InjectedFault>> byKey, Func<string, IReadOnlyList<string>> findingsOf,
        IReadOnlyDictionary<string, string> faultOfFinding, IReadOnlyList<InjectedFault> faults, out int primary)
    {
        var found = new List<InjectedFault>();
        var at = alert.StartsAt;
        primary = 0;
        foreach (string key in MatchKeysOf(alert))
        {
            foreach (var fault in byKey.GetValueOrDefault(key) ?? [])
            {
                if (fault.OnsetAt <= at + _scoring.Tolerance && (fault.ClearedAt is null || fault.ClearedAt.Value >= at - _scoring.Slack) && !found.Contains(fault))
                {
                    found.Add(fault);
                }
            }

            // Keys go from the part the alert names to its node: the faults on the part itself are its own cause.
            if (primary == 0)
            {
                primary = found.Count;
            }
        }

        if (found.Count == 0 && alert["alertname"] == HealthAlertNames.JobFault)
        {
            // A job's alert names no hardware: it is real when the health scorer tied one of its findings to a fault
            // (an NCCL timeout, a software XID) by the work that fault hit.
            foreach (string finding in findingsOf(alert[IncidentLabels.Diagnosis]))
            {
                if (faultOfFinding.TryGetValue(finding, out string? id) && faults.FirstOrDefault(f => f.Id == id) is { } fault && !found.Contains(fault))
                {
                    found.Add(fault);
                }
            }

            primary = found.Count;
        }

        return found;
    }

    /// <summary>What an injected fault broke, as keys: its GPUs, its nodes (and its GPUs' nodes), and its target.</summary>
    public static IEnumerable<string> KeysOf(InjectedFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        yield return "target:" + fault.Target;
        foreach (var gpu in fault.AffectedGpus)
        {
            yield return "gpu:" + gpu.Value;
            yield return "node:" + gpu.Node.Value;
        }

        foreach (var node in fault.AffectedNodes)
        {
            yield return "node:" + node.Value;
        }
    }

    /// <summary>
    /// What a Health alert names, as keys a fault must share to explain it: a GPU or port alert is explained by a fault
    /// on that part or on its node; a node alert by a fault on the node or its GPUs; a switch or PDU alert by that device.
    /// </summary>
    public static IEnumerable<string> MatchKeysOf(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        string node = alert[IncidentLabels.Node];
        switch (alert["alertname"])
        {
            case HealthAlertNames.GpuFault:
                yield return "gpu:" + alert[TopologyCorrelation.GpuLabel];
                break;
            case HealthAlertNames.PortFault:
                yield return "target:" + alert[HealthAlertNames.PortLabel];
                break;
            case HealthAlertNames.SwitchDown:
                yield return "target:" + alert[HealthAlertNames.SwitchLabel];
                yield break;
            case HealthAlertNames.PduDown:
                yield return "target:" + alert[HealthAlertNames.PduLabel];
                yield break;
            case HealthAlertNames.JobFault:
                yield break;
            default:
                if (node.Length > 0)
                {
                    yield return "target:" + node;
                }

                break;
        }

        if (node.Length > 0)
        {
            yield return "node:" + node;
        }
    }

    /// <summary>
    /// What a Health alert covers for recall: the part it names (a GPU alert its GPU, a port alert its port, a node alert
    /// the node and so its GPUs and ports), and for a switch or PDU every node under it. Unlike precision, a GPU alert does
    /// not cover a fault on another GPU of its node: nobody was told about that one.
    /// </summary>
    private HashSet<string> CoverKeysOf(Alert alert)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        switch (alert["alertname"])
        {
            case HealthAlertNames.GpuFault:
                keys.Add("gpu:" + alert[TopologyCorrelation.GpuLabel]);
                keys.Add("target:" + alert[TopologyCorrelation.GpuLabel]);
                break;
            case HealthAlertNames.PortFault:
                keys.Add("target:" + alert[HealthAlertNames.PortLabel]);
                break;
            case HealthAlertNames.SwitchDown:
                keys.Add("target:" + alert[HealthAlertNames.SwitchLabel]);
                foreach (int n in topology.NodesUnderSwitch(new SwitchId(alert[HealthAlertNames.SwitchLabel])))
                {
                    keys.Add("node:" + topology.Nodes[n].Id.Value);
                }

                break;
            case HealthAlertNames.PduDown:
                keys.Add("target:" + alert[HealthAlertNames.PduLabel]);
                foreach (int n in topology.NodesOnPdu(new PduId(alert[HealthAlertNames.PduLabel])))
                {
                    keys.Add("node:" + topology.Nodes[n].Id.Value);
                }

                break;
            case HealthAlertNames.JobFault:
                break;
            default:
                if (alert[IncidentLabels.Node] is { Length: > 0 } node)
                {
                    keys.Add("target:" + node);
                    keys.Add("node:" + node);
                }

                break;
        }

        return keys;
    }

    private static Percentiles Seconds(DurationPercentiles? durations) => durations is null
        ? new Percentiles(0, 0, 0)
        : new Percentiles(Math.Round(durations.P50.TotalSeconds, 1), Math.Round(durations.P95.TotalSeconds, 1), durations.Samples);

    private static string SloReading(IReadOnlyList<TwinSlo> slos, Alert alert)
    {
        var slo = slos.FirstOrDefault(s => s.Name == alert[NeoCloud.Reliability.Export.RuleNames.SloLabel]);
        if (slo?.WindowOf(alert) is not { } window)
        {
            return " (no such SLO window)";
        }

        var l = slo.Truth.Sum(TwinSlo.BeforeMinute(alert.StartsAt), window.LongWindow);
        var s = slo.Truth.Sum(TwinSlo.BeforeMinute(alert.StartsAt), window.ShortWindow);
        var e = slo.Evaluator.Evaluate(slo.Series, TwinSlo.BeforeMinute(alert.StartsAt));
        return string.Create(
            CultureInfo.InvariantCulture,
            $" (recorded: long {l.Bad}/{l.Total}, short {s.Bad}/{s.Total}; evaluator now: long {e.Reading(window.LongWindow).Bad}/{e.Reading(window.LongWindow).Total}, fires {e.Firing.Contains(window)})");
    }

    private static string Describe(Alert alert) =>
        $"{alert["alertname"]} {string.Join(",", alert.Labels.Where(kv => kv.Key is not "alertname").Select(kv => $"{kv.Key}={kv.Value}"))} at {alert.StartsAt:O}";
}
