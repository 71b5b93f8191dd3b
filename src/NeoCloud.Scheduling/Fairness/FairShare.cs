using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Fairness;

/// <summary>
/// Weighted dominant resource share with decayed history: a queue's share is, over all flavours, the largest fraction of
/// the cluster it uses now or used recently (history averaged with a half-life), divided by its weight. Lowest goes first.
/// </summary>
internal static class FairShare
{
    /// <summary>Folds the usage held since the last update into the history: h ← h·d + u·(1−d), d = 2^(−Δt/half-life).</summary>
    public static void Decay(QueueState queue, TimeSpan elapsed, TimeSpan halfLife)
    {
        double keep = halfLife <= TimeSpan.Zero ? 0 : Math.Pow(2, -Math.Max(0, elapsed.TotalSeconds) / halfLife.TotalSeconds);
        for (int f = 0; f < queue.History.Length; f++)
        {
            queue.History[f] = (queue.History[f] * keep) + (queue.Usage[f] * (1 - keep));
        }
    }

    /// <summary>
    /// The weighted dominant share. Current usage counts in full (what a queue holds now is never forgotten); history only
    /// raises it, so a queue that just finished a burst waits behind the ones that did not.
    /// </summary>
    public static double DominantShare(QueueState queue, long[] capacity, ReadOnlySpan<long> extra = default)
    {
        double share = 0;
        for (int f = 0; f < capacity.Length; f++)
        {
            if (capacity[f] <= 0)
            {
                continue;
            }

            double used = Math.Max(queue.Usage[f], queue.History[f]) + (extra.IsEmpty ? 0 : extra[f]);
            share = Math.Max(share, used / capacity[f]);
        }

        return share / queue.Spec.Weight;
    }

    /// <summary>
    /// The share used to order queues, in steps of 1/10,000 of the cluster: decayed history never reaches zero exactly,
    /// and a queue whose burst has faded below that must tie with one that never ran (then priority and arrival decide).
    /// </summary>
    public static double OrderingShare(QueueState queue, long[] capacity) => Math.Floor(DominantShare(queue, capacity) * 10_000) / 10_000;
}
