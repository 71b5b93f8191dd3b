using System.Collections.Immutable;
using System.Text;

namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// Alertmanager's dispatch, inhibition and silencing as a pure, clock-driven state machine: <see cref="Receive"/> routes
/// alerts into groups, <see cref="Flush"/> returns the notifications due at a given instant. No I/O and no clock of its
/// own, so the simulator can drive it in virtual time and tests can step it exactly. Not thread-safe: one loop owns it
/// (as one dispatcher owns Alertmanager's groups) and calls Receive and Flush in turn.
/// </summary>
public sealed class AlertPipeline
{
    private readonly Route _root;
    private readonly IReadOnlyList<InhibitRule> _inhibitRules;
    private readonly Dictionary<string, Silence> _silences = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, Alert> _alerts = [];
    private readonly Dictionary<string, AlertGroup> _groups = new(StringComparer.Ordinal);

    public AlertPipeline(Route root, IEnumerable<InhibitRule>? inhibitRules = null)
    {
        _root = root;
        _inhibitRules = [.. inhibitRules ?? []];
    }

    public IReadOnlyCollection<Silence> Silences => _silences.Values;

    /// <summary>The keys of the live groups (those holding alerts, and those emptied within their last group_interval).</summary>
    public IReadOnlyCollection<string> GroupKeys => _groups.Keys;

    /// <summary>
    /// Adds a silence, or replaces the one with the same id (how Alertmanager edits a silence). Like Alertmanager, it
    /// refuses a silence whose matchers all match an empty label set: such a silence would mute every alert there is.
    /// </summary>
    public void Silence(Silence silence)
    {
        ArgumentException.ThrowIfNullOrEmpty(silence.Id);
        if (silence.EndsAt <= silence.StartsAt)
        {
            throw new ArgumentException($"Silence {silence.Id} ends ({silence.EndsAt:O}) before it starts ({silence.StartsAt:O}).", nameof(silence));
        }

        if (silence.Matchers.All(m => m.Matches(string.Empty)))
        {
            throw new ArgumentException($"Silence {silence.Id} would mute every alert: at least one matcher must need a non-empty label.", nameof(silence));
        }

        _silences[silence.Id] = silence;
    }

    /// <summary>Ends a silence now; it stays listed, as expired silences do in Alertmanager, but mutes nothing.</summary>
    public bool ExpireSilence(string id, DateTimeOffset now)
    {
        if (!_silences.TryGetValue(id, out var silence))
        {
            return false;
        }

        _silences[id] = silence.ExpiredAt(now);
        return true;
    }

    /// <summary>
    /// Takes new or updated alerts (an alert with known labels replaces the old one, keeping the earlier start while the old one still fires) and puts
    /// each into the group of every route it reaches. A new group flushes group_wait later, or at once if the alert is
    /// already older than group_wait (so a restart does not hold back old trouble).
    /// </summary>
    public void Receive(IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        foreach (var incoming in alerts)
        {
            var alert = _alerts.TryGetValue(incoming.Fingerprint, out var known) && !known.IsResolvedAt(now) && known.StartsAt < incoming.StartsAt
                ? incoming with { StartsAt = known.StartsAt }
                : incoming;
            _alerts[alert.Fingerprint] = alert;

            foreach (var (route, path) in RoutesFor(alert, _root, "0"))
            {
                var labels = GroupLabels(route, alert);
                string key = GroupKey(path, labels);
                if (!_groups.TryGetValue(key, out var group))
                {
                    group = new AlertGroup(key, route, labels, now + route.GroupWait);
                    _groups.Add(key, group);
                }

                group.Alerts[alert.Fingerprint] = alert;
                if (!group.HasFlushed && alert.StartsAt + route.GroupWait <= now && group.NextFlush > now)
                {
                    group.NextFlush = now;
                }
            }
        }
    }

    /// <summary>Flushes every group whose timer is due at <paramref name="now"/> and returns what is to be sent.</summary>
    public IReadOnlyList<Notification> Flush(DateTimeOffset now)
    {
        var sent = new List<Notification>();
        var inhibition = new InhibitionIndex(_inhibitRules, _alerts.Values, now);
        foreach (var group in _groups.Values.Where(g => g.NextFlush <= now).OrderBy(g => g.Key, StringComparer.Ordinal).ToList())
        {
            // An emptied group lives on for one group_interval, so that an alert that flaps straight back rejoins it
            // and waits for its timer, instead of starting a fresh group that would notify again within the interval.
            if (group.Alerts.Count == 0)
            {
                _groups.Remove(group.Key);
                continue;
            }

            if (group.Flush(now, alert => IsSilenced(alert, now) || inhibition.Mutes(alert)) is { } notification)
            {
                sent.Add(notification);
            }
        }

        Forget(now);
        return sent;
    }

    /// <summary>The next instant at which <see cref="Flush"/> may have something to do, or null when no group exists.</summary>
    public DateTimeOffset? NextFlushAt => _groups.Count == 0 ? null : _groups.Values.Min(g => g.NextFlush);

    public bool IsSilenced(Alert alert, DateTimeOffset now) => _silences.Values.Any(s => s.Mutes(alert, now));

    /// <summary>Whether a firing alert (per <paramref name="now"/>) is the source of an inhibit rule that mutes this one.</summary>
    public bool IsInhibited(Alert alert, DateTimeOffset now) => new InhibitionIndex(_inhibitRules, _alerts.Values, now).Mutes(alert);

    public bool IsMuted(Alert alert, DateTimeOffset now) => IsSilenced(alert, now) || IsInhibited(alert, now);

    private static IEnumerable<(Route Route, string Path)> RoutesFor(Alert alert, Route route, string path)
    {
        bool matchedChild = false;
        for (int i = 0; i < route.Routes.Count; i++)
        {
            var child = route.Routes[i];
            if (!child.Takes(alert))
            {
                continue;
            }

            matchedChild = true;
            foreach (var found in RoutesFor(alert, child, $"{path}/{i}"))
            {
                yield return found;
            }

            if (!child.Continue)
            {
                yield break;
            }
        }

        if (!matchedChild)
        {
            yield return (route, path);
        }
    }

    private static ImmutableSortedDictionary<string, string> GroupLabels(Route route, Alert alert)
    {
        if (route.GroupBy.Contains(Route.AllLabels))
        {
            return alert.Labels;
        }

        // Labels the alert lacks are left out, so alerts without the label share one group rather than an empty value's.
        return route.GroupBy
            .Where(alert.Labels.ContainsKey)
            .ToImmutableSortedDictionary(name => name, name => alert.Labels[name], StringComparer.Ordinal, StringComparer.Ordinal);
    }

    private static string GroupKey(string routePath, ImmutableSortedDictionary<string, string> labels)
    {
        var key = new StringBuilder(routePath).Append(":{");
        bool first = true;
        foreach (var (name, value) in labels)
        {
            key.Append(first ? string.Empty : ",").Append(name).Append("=\"").Append(value).Append('"');
            first = false;
        }

        return key.Append('}').ToString();
    }

    /// <summary>Drops resolved alerts that no group holds any more, so inhibition only sees alerts that still matter.</summary>
    private void Forget(DateTimeOffset now)
    {
        var held = _groups.Values.SelectMany(g => g.Alerts.Keys).ToHashSet();
        foreach (var alert in _alerts.Values.Where(a => a.IsResolvedAt(now) && !held.Contains(a.Fingerprint)).ToList())
        {
            _alerts.Remove(alert.Fingerprint);
        }
    }
}
