using System.Collections.Concurrent;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// The Health context as an alert source: rounds arrive from the health loop on its own thread and are queued; the
/// reliability loop drains them into a <see cref="HealthAlertSource"/> (which is not thread-safe) before each step, and
/// syncs the runs it follows from the health store so alerts end when their runs do.
/// </summary>
public sealed class HealthAlertFeed(HealthAlertSource source) : IAlertSource
{
    private readonly ConcurrentQueue<HealthRound> _rounds = new();

    /// <summary>Queues a finished health round; safe from any thread.</summary>
    public void Enqueue(HealthRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        _rounds.Enqueue(round);
    }

    /// <summary>Takes the queued rounds and the runs' latest versions; called by the reliability loop only. Returns the rounds taken.</summary>
    public async Task<int> CatchUpAsync(IHealthStore? store, CancellationToken cancellationToken)
    {
        int rounds = 0;
        while (_rounds.TryDequeue(out var round))
        {
            rounds++;
            foreach (var diagnosis in round.Diagnoses)
            {
                source.Observe(diagnosis, round.Runs.GetValueOrDefault(diagnosis.Id));
            }
        }

        if (store is not null)
        {
            await source.SyncRunsAsync(store, cancellationToken);
        }

        return rounds;
    }

    public IReadOnlyList<Alert> Alerts(DateTimeOffset now) => source.Alerts(now);
}
