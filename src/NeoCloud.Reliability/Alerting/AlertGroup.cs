using System.Collections.Immutable;

namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// The alerts one route put under one set of group labels, with the group's timer and what it last told the receiver
/// (Alertmanager's aggregation group plus its notification-log entry).
/// </summary>
internal sealed class AlertGroup(string key, Route route, ImmutableSortedDictionary<string, string> labels, DateTimeOffset nextFlush)
{
    public string Key { get; } = key;

    public Route Route { get; } = route;

    public ImmutableSortedDictionary<string, string> Labels { get; } = labels;

    public Dictionary<ulong, Alert> Alerts { get; } = [];

    /// <summary>When the group may next flush: group_wait after it was made, then group_interval after each flush.</summary>
    public DateTimeOffset NextFlush { get; set; } = nextFlush;

    public bool HasFlushed { get; private set; }

    public SentEntry? LastSent { get; private set; }

    /// <summary>
    /// Decides what, if anything, to send now, following Alertmanager's dedup stage: a first send needs a firing alert; a
    /// new firing alert or a newly resolved one is an update; an unchanged group repeats after repeat_interval.
    /// </summary>
    public Notification? Flush(DateTimeOffset now, Func<Alert, bool> isMuted)
    {
        HasFlushed = true;
        NextFlush = now + Route.GroupInterval;

        var firing = new List<Alert>();
        var resolved = new List<Alert>();
        var resolvedHere = new List<ulong>();
        foreach (var alert in Alerts.Values.OrderBy(a => a.Fingerprint))
        {
            bool isResolved = alert.IsResolvedAt(now);
            if (isResolved)
            {
                resolvedHere.Add(alert.Fingerprint);
            }

            if (isMuted(alert))
            {
                continue;
            }

            if (!isResolved)
            {
                firing.Add(alert);
            }
            else if (LastSent is { } last && last.Firing.Contains(alert.Fingerprint))
            {
                // Only alerts the receiver was told were firing are worth a resolved message; the rest it never saw.
                resolved.Add(alert);
            }
        }

        // Resolved alerts leave the group at every flush, sent or not, so each is reported at most once.
        foreach (ulong fingerprint in resolvedHere)
        {
            Alerts.Remove(fingerprint);
        }

        var kind = Decide(now, firing, resolved);
        if (kind is null)
        {
            return null;
        }

        LastSent = new SentEntry([.. firing.Select(a => a.Fingerprint)], [.. resolved.Select(a => a.Fingerprint)], now);
        return new Notification(Key, Route.Receiver, Labels, firing, resolved, kind.Value, now);
    }

    private NotificationKind? Decide(DateTimeOffset now, List<Alert> firing, List<Alert> resolved)
    {
        if (LastSent is not { } last)
        {
            return firing.Count > 0 ? NotificationKind.First : null;
        }

        if (firing.Any(a => !last.Firing.Contains(a.Fingerprint)))
        {
            return NotificationKind.Update;
        }

        if (firing.Count == 0)
        {
            // Everything the receiver knew of has ended (or been muted): tell it once; if it knew of nothing, stay quiet.
            return last.Firing.Count > 0 ? NotificationKind.Update : null;
        }

        if (resolved.Any(a => !last.Resolved.Contains(a.Fingerprint)))
        {
            return NotificationKind.Update;
        }

        return last.At + Route.RepeatInterval <= now ? NotificationKind.Repeat : null;
    }

    /// <summary>What the group last sent: the fingerprints firing and resolved in it, and when.</summary>
    internal sealed record SentEntry(ImmutableHashSet<ulong> Firing, ImmutableHashSet<ulong> Resolved, DateTimeOffset At);
}
