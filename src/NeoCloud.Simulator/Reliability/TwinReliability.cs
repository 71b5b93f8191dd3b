using NeoCloud.Health.Correlation;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Operations;
using NeoCloud.Reliability.Sources;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// The Reliability context driven by the twin: after each health round the round's diagnoses (with the run each got) and
/// the runs' progress feed a <see cref="HealthAlertSource"/>, the twin's SLOs record the tick, and the
/// <see cref="ReliabilityEngine"/> steps over both sources' alerts. It remembers every alert episode a receiver was sent,
/// for the <see cref="AlertScorer"/>.
/// </summary>
internal sealed class TwinReliability
{
    private readonly FleetTwin _twin;
    private readonly IHealthStore _store;
    private readonly Dictionary<(ulong Fingerprint, DateTimeOffset Start), RaisedAlert> _raised = [];
    private readonly List<RaisedAlert> _order = [];

    public TwinReliability(FleetTwin twin, IHealthStore store, TwinSlos? slos = null, ReliabilityEngine? engine = null)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(store);
        _twin = twin;
        _store = store;
        Slos = slos ?? new TwinSlos(twin);
        Engine = engine ?? ReliabilityDefaults.Engine();
    }

    public HealthAlertSource Source { get; } = new();

    public TwinSlos Slos { get; }

    public ReliabilityEngine Engine { get; }

    /// <summary>Every diagnosis seen, by id, so the scorer can follow an alert back to its findings.</summary>
    public Dictionary<string, Diagnosis> Diagnoses { get; } = new(StringComparer.Ordinal);

    /// <summary>Alert episodes that reached a receiver, in the order they were first sent.</summary>
    public IReadOnlyList<RaisedAlert> Raised => _order;

    public void AfterRound(HealthRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var now = _twin.Now;
        foreach (var diagnosis in round.Diagnoses)
        {
            Diagnoses[diagnosis.Id] = diagnosis;
            Source.Observe(diagnosis, round.Runs.GetValueOrDefault(diagnosis.Id));
        }

        // The loop's store completes synchronously (see SelfHealingLoop.Tick).
        Source.SyncRunsAsync(_store, CancellationToken.None).GetAwaiter().GetResult();
        Slos.AfterTick(now, _twin.Options.Tick);
        var step = Engine.Step(Source.Alerts(now).Concat(Slos.Alerts(now)), now);
        foreach (var notification in step.Notifications)
        {
            foreach (var alert in notification.Firing)
            {
                if (!_raised.ContainsKey((alert.Fingerprint, alert.StartsAt)))
                {
                    var raised = new RaisedAlert(alert, notification.At);
                    _raised.Add((alert.Fingerprint, alert.StartsAt), raised);
                    _order.Add(raised);
                }
            }

            foreach (var alert in notification.Resolved)
            {
                if (_raised.TryGetValue((alert.Fingerprint, alert.StartsAt), out var raised))
                {
                    raised.EndedAt ??= alert.EndsAt ?? notification.At;
                }
            }
        }
    }
}
