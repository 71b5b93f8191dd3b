using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Health.Remediation;

/// <summary>
/// Runs durable remediation workflows (cordon → checkpoint → drain → act → verify → return, or RMA) under the safety
/// budget, breakers, cooldowns and the repeat-offender rule. Every decision is audited with its reason. The engine is
/// driven: <see cref="ProposeAsync"/> for each diagnosis, <see cref="AdvanceAsync"/> every round; actions run on the
/// actuator in the background and are polled, so a slow reboot never blocks the other runs.
/// </summary>
/// <remarks>
/// A step is written before its side effect, and every side effect is idempotent or re-read on resume (a fence, the
/// work on the hardware), so a new engine over the same store picks up a run where the last one stopped: a run found at
/// Act or Verify with no action in flight here has its action issued again. Breakers are held in memory: a restarted
/// engine starts with them closed, and the window fills again from the diagnoses it is given.
/// </remarks>
public sealed class RemediationEngine
{
    /// <summary>How many transitions one run may make in one round: enough for cordon → … → act, bounded against a loop.</summary>
    private const int MaxTransitionsPerRound = 16;

    private static readonly Actor Automation = Actor.Automation("health-remediation");
    private static readonly IReadOnlyList<string> None = [];

    private readonly IHealthStore _store;
    private readonly IRemediationFleet _fleet;
    private readonly IWorkloadMover _workloads;
    private readonly IHardwareActuator _actuator;
    private readonly IPager _pager;
    private readonly IAuditTrail _audit;
    private readonly RemediationPolicy _policy;
    private readonly TimeProvider _clock;
    private readonly ILogger<RemediationEngine> _logger;
    private readonly SafetyBudget _budget;
    private readonly Dictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _regionOfNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeOfGpu = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RemediationRun> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Signalled> _signalled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _numericAnomaly = new(StringComparer.Ordinal);
    private HashSet<string>? _held;
    private DateTimeOffset? _refreshedAt;
    private bool _breakersWarm;
    private int _budgetExceeded;

    public RemediationEngine(
        IHealthStore store,
        IRemediationFleet fleet,
        IWorkloadMover workloads,
        IHardwareActuator actuator,
        IPager pager,
        IAuditTrail audit,
        FleetTopology topology,
        RemediationPolicy policy,
        TimeProvider clock,
        ILogger<RemediationEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(actuator);
        ArgumentNullException.ThrowIfNull(pager);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        if (policy.BreakerFraction is <= 0 or > 1 || policy.BreakerMaxNodes < 1 || policy.MaxClusterNodes < 1 || policy.MaxDomainNodes < 1)
        {
            throw new ArgumentException(
                $"Remediation policy: BreakerFraction ({policy.BreakerFraction}) must be in (0, 1]; BreakerMaxNodes ({policy.BreakerMaxNodes}), MaxClusterNodes ({policy.MaxClusterNodes}) and MaxDomainNodes ({policy.MaxDomainNodes}) at least 1.",
                nameof(policy));
        }

        _store = store;
        _fleet = fleet;
        _workloads = workloads;
        _actuator = actuator;
        _pager = pager;
        _audit = audit;
        _policy = policy;
        _clock = clock;
        _logger = logger;
        _budget = new SafetyBudget(topology, policy);

        var perRegion = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in topology.Nodes)
        {
            _regionOfNode[node.Id.Value] = node.Region.Value;
            perRegion[node.Region.Value] = perRegion.GetValueOrDefault(node.Region.Value) + 1;
        }

        foreach (var gpu in topology.Gpus)
        {
            _nodeOfGpu[gpu.Id.Value] = gpu.Node.Value;
        }

        _breakers[FleetScope] = NewBreaker(FleetScope, topology.Nodes.Count);
        foreach (var (region, count) in perRegion)
        {
            _breakers[RegionScope(region)] = NewBreaker(RegionScope(region), count);
        }
    }

    /// <summary>The scope of the fleet-wide breaker.</summary>
    public const string FleetScope = "fleet";

    /// <summary>The scope of a region's breaker.</summary>
    public static string RegionScope(string region) => $"region:{region}";

    /// <summary>Scopes whose breaker is open now (<c>fleet</c>, <c>region:euw1</c>).</summary>
    /// <summary>
    /// Nodes this engine is rebooting now (a node-level action in flight, or the burn-in after it): they will not answer
    /// for minutes, and that silence is the engine's doing, not a new fault.
    /// </summary>
    public IEnumerable<string> NodesInMaintenance =>
        _active.Values
            .Where(r => r.Step is RemediationStep.Act or RemediationStep.Verify && r.Action == RemediationAction.RebootNode && !r.DryRun)
            .SelectMany(r => r.Nodes);

    public IReadOnlyCollection<string> OpenBreakers => [.. _breakers.Values.Where(b => b.IsOpen).Select(b => b.Scope).Order(StringComparer.Ordinal)];

    /// <summary>How many times a run held capacity beyond the budget (should stay 0; the engine refuses before that).</summary>
    public int BudgetExceededCount => _budgetExceeded;

    /// <summary>Decides what to do about a diagnosis; returns the run created (or found, for a retried diagnosis), null when nothing is to be done to hardware.</summary>
    public async Task<RemediationRun?> ProposeAsync(Diagnosis diagnosis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);

        // Many diagnoses of one round arrive at one instant: one read of the active runs serves them all (the engine
        // tracks its own writes); a later instant reads again, to see what another controller or a person changed.
        if (_refreshedAt != _clock.GetUtcNow())
        {
            await RefreshAsync(cancellationToken);
        }

        var known = _active.Values.FirstOrDefault(r => r.DiagnosisId == diagnosis.Id);
        if (known is not null)
        {
            return known;
        }

        var now = _clock.GetUtcNow();
        var plan = EscalationLadder.Plan(diagnosis, g => _nodeOfGpu.GetValueOrDefault(g), out string nothing);
        if (plan is null)
        {
            await _audit.RecordAsync(
                new AuditEntry(now, Automation, "remediation.no-action", diagnosis.Suspect.ToString(), $"no hardware action: {nothing}", null, null, $"{diagnosis.Id}:no-action"),
                cancellationToken);
            return null;
        }

        foreach (var node in plan.Nodes)
        {
            if (!_budget.Knows(node))
            {
                throw new ArgumentException($"Diagnosis {diagnosis.Id}: node '{node}' of suspect {diagnosis.Suspect} is not in the fleet.", nameof(diagnosis));
            }
        }

        if (diagnosis.Findings.Any(f => f.Code == EscalationLadder.NumericAnomaly))
        {
            _numericAnomaly.Add(diagnosis.Id);
        }

        var merged = await MergeAsync(diagnosis, plan, cancellationToken);
        if (merged is not null)
        {
            return merged;
        }

        var affected = plan.Nodes.Concat(diagnosis.Nodes).Where(_budget.Knows).Distinct(StringComparer.Ordinal).ToList();
        if (diagnosis.Fatal)
        {
            await RecordForBreakersAsync(affected, now, cancellationToken);
        }

        var ladder = plan.Ladder;
        var history = new List<RemediationEvent>
        {
            new(now, RemediationStep.Queued, "proposed", $"{plan.Why}; ladder {EscalationLadder.Describe(ladder)}; diagnosis {diagnosis.Id}: {diagnosis.Reasoning}"),
        };
        string reason = $"{plan.Why} (diagnosis {diagnosis.Id}, confidence {diagnosis.Confidence:0.00})";
        var step = RemediationStep.Queued;
        bool dryRun = false;
        if (OpenScope(affected) is { } scope)
        {
            step = RemediationStep.Refused;
            reason = $"breaker open: a person decides (breaker {scope}); {reason}";
            history.Add(new(now, step, "refused", $"breaker {scope} is open: a person decides"));
        }
        else if (await RepeatOffenceAsync(plan, now, cancellationToken) is { } offence)
        {
            ladder = [RemediationAction.Replace];
            reason = $"{offence}; {reason}";
            history.Add(new(now, step, "repeat offender", offence));
        }

        if (step == RemediationStep.Queued && _policy.DryRun)
        {
            step = RemediationStep.Refused;
            dryRun = true;
            string would = $"dry run: would fence {Describe(plan)}, drain ({_policy.DrainMode}) and act {EscalationLadder.Describe(ladder)}";
            reason = $"{would}; {reason}";
            history.Add(new(now, step, "dry run", would));
        }

        var run = new RemediationRun(
            RunId(diagnosis.Id, now),
            diagnosis.Id,
            plan.Target,
            plan.Nodes,
            plan.Gpus,
            step,
            0,
            ladder,
            _policy.DrainMode,
            dryRun,
            _policy.RequireApproval.Contains(ladder[0]),
            null,
            reason,
            now,
            now,
            step == RemediationStep.Refused ? now : null,
            0,
            history,
            1);
        var stored = await _store.CreateRunAsync(run, cancellationToken);
        if (stored.Id != run.Id)
        {
            // A retried diagnosis whose run has already finished: the store kept the first one.
            return stored;
        }

        Track(stored);
        await AuditAsync(stored, null, reason, Automation, cancellationToken);
        return stored.Step == RemediationStep.Queued ? await LeaveQueueAsync(stored, now, cancellationToken) ?? stored : stored;
    }

    /// <summary>Moves every active run as far as it can now; resumes runs left by a previous process on first call.</summary>
    public async Task AdvanceAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        foreach (var id in _active.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList())
        {
            if (_active.TryGetValue(id, out var run))
            {
                await DriveAsync(run, cancellationToken);
            }
        }

        if (_budget.Exceeded(HeldNodes()) is { } where)
        {
            _budgetExceeded++;
            _logger.LogError("Remediation holds capacity beyond the safety budget: {Where}", where);
        }
    }

    public async Task<RemediationRun> ApproveAsync(string runId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        while (true)
        {
            var run = await GetAsync(runId, cancellationToken);
            if (run.Step != RemediationStep.AwaitingApproval)
            {
                throw new InvalidOperationException($"Remediation run {runId} is at {run.Step}, not awaiting approval.");
            }

            // A fence already up is raised again harmlessly; the work left on the hardware is checkpointed and drained.
            var next = run with { Step = FirstWorkStep(run), ApprovedBy = actor.ToString() };
            var written = await WriteAsync(run, next, "approved", $"{run.Action} approved by {actor}", $"{run.Action} approved by {actor}", actor, cancellationToken);
            if (written is not null)
            {
                return written;
            }
        }
    }

    public async Task<RemediationRun> CancelAsync(string runId, Actor actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        while (true)
        {
            var run = await GetAsync(runId, cancellationToken);
            if (run.IsFinished)
            {
                return run;
            }

            var written = await WriteAsync(run, run with { Step = RemediationStep.Cancelled }, "cancelled", $"by {actor}: {reason}", $"cancelled by {actor}: {reason}", actor, cancellationToken);
            if (written is not null)
            {
                return written;
            }
        }
    }

    /// <summary>A person uncordoned a node by hand: every active run fencing it is cancelled.</summary>
    public async Task NodeUncordonedAsync(string node, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentNullException.ThrowIfNull(actor);
        await RefreshAsync(cancellationToken);
        var fencing = _active.Values
            .Where(r => r.Step is not (RemediationStep.Queued or RemediationStep.AwaitingApproval) && r.Nodes.Contains(node, StringComparer.Ordinal))
            .Select(r => r.Id)
            .ToList();
        foreach (var id in fencing)
        {
            // No release: the person already put the node back; automation must not fight them over it.
            await CancelAsync(id, actor, $"node {node} uncordoned by hand", cancellationToken);
        }
    }

    /// <summary>Closes a tripped breaker (a person decided automation may go on).</summary>
    public async Task ResetBreakerAsync(string scope, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!_breakers.TryGetValue(scope, out var breaker))
        {
            throw new ArgumentException($"No breaker '{scope}': scopes are '{FleetScope}' and 'region:<region>' ({string.Join(", ", _breakers.Keys.Order(StringComparer.Ordinal))}).", nameof(scope));
        }

        if (!breaker.IsOpen)
        {
            return;
        }

        breaker.Reset();
        var now = _clock.GetUtcNow();
        await _audit.RecordAsync(new AuditEntry(now, actor, "remediation.breaker-reset", scope, $"breaker {scope} closed by {actor}: automatic remediation resumes", "open", "closed"), cancellationToken);
    }

    private Breaker NewBreaker(string scope, int nodes) =>
        new(scope, nodes, _policy.BreakerFraction, _policy.BreakerMaxNodes, _policy.BreakerWindow);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!_breakersWarm)
        {
            await WarmBreakersAsync(cancellationToken);
        }

        var runs = await _store.ListActiveRunsAsync(cancellationToken);
        _refreshedAt = _clock.GetUtcNow();
        _held = null;
        _active.Clear();
        foreach (var run in runs)
        {
            _active[run.Id] = run;
        }

        // A run finished elsewhere (cancelled by a person through another controller) has nothing left to poll here.
        foreach (var id in _inFlight.Keys.Where(id => !_active.ContainsKey(id)).ToList())
        {
            _inFlight.Remove(id);
        }
    }

    private void Track(RemediationRun? run)
    {
        if (run is null)
        {
            return;
        }

        _held = null;
        if (run.IsFinished)
        {
            _active.Remove(run.Id);
            _inFlight.Remove(run.Id);
            _signalled.Remove(run.Id);
        }
        else
        {
            _active[run.Id] = run;
        }
    }

    private async Task<RemediationRun> GetAsync(string runId, CancellationToken cancellationToken) =>
        await _store.GetRunAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No remediation run '{runId}'.");

    private async Task<RemediationRun?> MergeAsync(Diagnosis diagnosis, RemediationPlan plan, CancellationToken cancellationToken)
    {
        // One workflow per piece of hardware: the same target; a node-wide plan and the runs on that node's GPUs; a GPU
        // plan and a run that will reboot its node anyway. Two GPUs of one node keep their own runs (each resets its own
        // GPU), and a cable or switch ticket never swallows a GPU's repair (nor the other way round); the budget counts
        // a node once whatever the number of runs on it.
        var into = _active.Values
            .Where(r => !r.DryRun && (r.Target == plan.Target || (r.Nodes.Any(plan.Nodes.Contains) && Covers(r, plan))))
            .MinBy(r => (r.CreatedAt, r.Id));
        if (into is null)
        {
            return null;
        }

        if (into.History.Any(e => e.What is "merged" or "widened" && e.Detail.Contains(diagnosis.Id, StringComparison.Ordinal)))
        {
            return into;
        }

        string detail = $"diagnosis {diagnosis.Id} ({diagnosis.Suspect}, {diagnosis.Remedy}) merged: {diagnosis.Reasoning}";
        if (plan.Ladder.Count > 0 && Strength(plan.Ladder[0]) > Strength(into.Action) && !into.IsFinished)
        {
            // The new diagnosis calls for more than the run is doing (several GPUs of the node failed, or this GPU now
            // needs a reboot): the run takes the stronger ladder and its wider fence, or the rest would never be repaired.
            var widened = into with
            {
                Target = plan.Target.Kind == ComponentKind.Node ? plan.Target : into.Target,
                Nodes = [.. into.Nodes.Union(plan.Nodes, StringComparer.Ordinal)],
                Gpus = [.. into.Gpus.Union(plan.Gpus, StringComparer.Ordinal)],
                Ladder = plan.Ladder,
                Rung = 0,
                Step = into.Step is RemediationStep.Queued or RemediationStep.AwaitingApproval ? into.Step : RemediationStep.Cordon,
            };
            _inFlight.Remove(into.Id);
            string why = $"diagnosis {diagnosis.Id} ({diagnosis.Suspect}, {diagnosis.Remedy}) widened the run to {EscalationLadder.Describe(plan.Ladder)}: {diagnosis.Reasoning}";
            return await WriteAsync(into, widened, "widened", why, why, Automation, cancellationToken) ?? into;
        }

        return await WriteAsync(into, into, "merged", detail, detail, Automation, cancellationToken) ?? into;
    }

    // Whether an active run on the same node can take this plan in.
    private static bool Covers(RemediationRun run, RemediationPlan plan) => plan.Target.Kind switch
    {
        ComponentKind.Node => run.Target.Kind is ComponentKind.Gpu or ComponentKind.Node,
        ComponentKind.Gpu => run.Target.Kind == ComponentKind.Node || run.Ladder.Skip(run.Rung).Contains(RemediationAction.RebootNode) && EscalationLadder.NodeFenced(run),
        _ => false,
    };

    // How much of the hardware an action repairs; facility tickets are another kind of work and never replace one.
    private static int Strength(RemediationAction action) => action switch
    {
        RemediationAction.None => 0,
        RemediationAction.Diagnose => 1,
        RemediationAction.ResetGpu => 2,
        RemediationAction.RebootNode => 3,
        RemediationAction.Replace => 4,
        _ => -1,
    };

    /// <summary>
    /// A restarted engine refills the breaker windows from the fatal diagnoses stored within the window, so a restart in
    /// the middle of a spike does not let automation loose on it (the breaker trips again and pages again).
    /// </summary>
    private async Task WarmBreakersAsync(CancellationToken cancellationToken)
    {
        _breakersWarm = true;
        var since = _clock.GetUtcNow() - _policy.BreakerWindow;
        var recent = new List<Diagnosis>();
        string? cursor = null;
        do
        {
            var page = await _store.ListDiagnosesAsync(since, 500, cursor, cancellationToken);
            // The same diagnoses ProposeAsync counts: fatal ones that call for hardware work.
            recent.AddRange(page.Items.Where(d => d.Fatal && d.Suspect.Kind != ComponentKind.Job && d.Remedy is not (Catalog.RemedyHint.RestartApplication or Catalog.RemedyHint.None)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        foreach (var diagnosis in recent.OrderBy(d => d.At))
        {
            await RecordForBreakersAsync([.. diagnosis.Nodes.Where(_budget.Knows).Distinct(StringComparer.Ordinal)], diagnosis.At, cancellationToken);
        }
    }

    private async Task RecordForBreakersAsync(IReadOnlyList<string> nodes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await TripIfAsync(_breakers[FleetScope], nodes, now, cancellationToken);
        foreach (var group in nodes.GroupBy(n => _regionOfNode[n], StringComparer.Ordinal))
        {
            await TripIfAsync(_breakers[RegionScope(group.Key)], [.. group], now, cancellationToken);
        }
    }

    private async Task TripIfAsync(Breaker breaker, IReadOnlyList<string> nodes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!breaker.Record(nodes, now))
        {
            return;
        }

        string summary =
            $"Remediation breaker '{breaker.Scope}' tripped: {breaker.NodesInWindow} node(s) with fatal diagnoses within {_policy.BreakerWindow.TotalMinutes:0.#} min " +
            $"(limit {breaker.Threshold:0.#}). Automatic remediation in {breaker.Scope} stopped; a person decides and resets the breaker.";
        _logger.LogWarning("{Summary}", summary);
        await _pager.PageAsync(new OnCallPage(now, Severity.Critical, "health-remediation", summary), cancellationToken);
        await _audit.RecordAsync(new AuditEntry(now, Automation, "remediation.breaker-trip", breaker.Scope, summary, "closed", "open"), cancellationToken);
    }

    private string? OpenScope(IEnumerable<string> nodes)
    {
        if (_breakers[FleetScope].IsOpen)
        {
            return FleetScope;
        }

        foreach (var node in nodes)
        {
            if (_regionOfNode.TryGetValue(node, out var region) && _breakers[RegionScope(region)].IsOpen)
            {
                return RegionScope(region);
            }
        }

        return null;
    }

    private async Task<string?> RepeatOffenceAsync(RemediationPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan.Ladder is [RemediationAction.Replace] || plan.Ladder.Any(EscalationLadder.IsFacility))
        {
            return null;
        }

        foreach (var node in plan.Nodes)
        {
            var runs = await _store.ListRunsForNodeAsync(node, now - _policy.RepeatOffenderWindow, cancellationToken);
            int count = runs.Count(r => !r.DryRun && r.Step != RemediationStep.Refused);
            if (count >= _policy.RepeatOffenderCount)
            {
                return $"repeat offender: node {node} had {count} remediations within {_policy.RepeatOffenderWindow.TotalDays:0.#} days: straight to RMA";
            }
        }

        return null;
    }

    private async Task DriveAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        for (int i = 0; i < MaxTransitionsPerRound && !run.IsFinished; i++)
        {
            var next = await StepAsync(run, cancellationToken);
            if (next is null || ReferenceEquals(next, run) || next.Version == run.Version)
            {
                return;
            }

            run = next;
        }
    }

    /// <summary>Does what the run's step asks now; returns the run as it stands after (the same one while it waits), null after a conflict.</summary>
    private Task<RemediationRun?> StepAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        return run.Step switch
        {
            RemediationStep.Queued => LeaveQueueAsync(run, now, cancellationToken),
            RemediationStep.AwaitingApproval => Task.FromResult<RemediationRun?>(run),
            RemediationStep.Cordon => CordonAsync(run, cancellationToken),
            RemediationStep.Checkpoint => CheckpointAsync(run, now, cancellationToken),
            RemediationStep.Drain => DrainAsync(run, now, cancellationToken),
            RemediationStep.Act => ActAsync(run, now, cancellationToken),
            RemediationStep.Verify => VerifyAsync(run, now, cancellationToken),
            _ => Task.FromResult<RemediationRun?>(run),
        };
    }

    private async Task<RemediationRun?> LeaveQueueAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (OpenScope(run.Nodes) is { } scope)
        {
            return await NoteOnceAsync(run, "deferred: breaker open", $"breaker {scope} is open: nothing new is fenced until a person resets it", cancellationToken);
        }

        // The budget first: it is answered in memory, the cooldown asks the store.
        if (!_budget.Admits(HeldNodes(), run.Nodes, out string why))
        {
            return await NoteOnceAsync(run, "deferred: safety budget", why, cancellationToken);
        }

        if (await CooldownUntilAsync(run, now, cancellationToken) is { } until)
        {
            return await NoteOnceAsync(run, "deferred: cooldown", $"returned to service less than {_policy.Cooldown.TotalMinutes:0.#} min ago; waits until {until:O}", cancellationToken);
        }

        if (_policy.RequireApproval.Contains(run.Action) && run.ApprovedBy is null)
        {
            return await WriteAsync(run, run with { Step = RemediationStep.AwaitingApproval, RequiresApproval = true }, "awaiting approval", $"{run.Action} needs a person's approval", $"admitted; {run.Action} awaits approval", Automation, cancellationToken);
        }

        var next = FirstWorkStep(run);
        return await WriteAsync(run, run with { Step = next }, "admitted", $"within the safety budget; {next} next", $"admitted within the safety budget: {run.Reason}", Automation, cancellationToken);
    }

    private async Task<DateTimeOffset?> CooldownUntilAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? until = null;

        // Runs are listed by creation: a run that started long before the cooldown may have returned just now.
        var since = now - (_policy.RepeatOffenderWindow > _policy.Cooldown ? _policy.RepeatOffenderWindow : _policy.Cooldown);
        foreach (var node in run.Nodes)
        {
            foreach (var other in await _store.ListRunsForNodeAsync(node, since, cancellationToken))
            {
                if (other.Id != run.Id && other.Step == RemediationStep.Returned && other.FinishedAt is { } finished && finished + _policy.Cooldown > now
                    && (until is null || finished + _policy.Cooldown > until))
                {
                    until = finished + _policy.Cooldown;
                }
            }
        }

        return until;
    }

    private async Task<RemediationRun?> CordonAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        var (nodes, gpus) = Fence(run);
        await _fleet.FenceAsync(nodes, gpus, $"remediation {run.Id}: {run.Reason}", cancellationToken);
        string what = nodes.Count > 0 ? $"cordoned {string.Join(", ", nodes)}" : $"quarantined {string.Join(", ", gpus)}";
        return await WriteAsync(run, run with { Step = RemediationStep.Checkpoint }, "fenced", what, what, Automation, cancellationToken);
    }

    private async Task<RemediationRun?> CheckpointAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_signalled.TryGetValue(run.Id, out var signalled) || signalled.StepStartedAt != run.StepStartedAt)
        {
            // Not signalled by this process for this entry into the step (a restart signals again: asking twice is harmless).
            var (nodes, gpus) = Fence(run);
            var work = await _workloads.WorkOnAsync(nodes, gpus, cancellationToken);
            foreach (var w in work)
            {
                await _workloads.SignalCheckpointAsync(w, cancellationToken);
            }

            signalled = new Signalled(run.StepStartedAt, work.Count);
            _signalled[run.Id] = signalled;
        }

        if (signalled.Jobs > 0 && now - run.StepStartedAt < _policy.CheckpointGrace)
        {
            return run;
        }

        _signalled.Remove(run.Id);
        string detail = signalled.Jobs == 0 ? "no work on the hardware" : $"{signalled.Jobs} job(s) asked to checkpoint; grace of {_policy.CheckpointGrace.TotalSeconds:0} s over";
        return await WriteAsync(run, run with { Step = RemediationStep.Drain }, "checkpointed", detail, detail, Automation, cancellationToken);
    }

    private async Task<RemediationRun?> DrainAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read again each round (and after a restart): work that finished or was already requeued is not evicted twice.
        var (nodes, gpus) = Fence(run);
        var work = await _workloads.WorkOnAsync(nodes, gpus, cancellationToken);
        bool evict = run.DrainMode switch
        {
            DrainMode.Immediate => true,
            DrainMode.AllowCompletion => false,
            DrainMode.AfterTimeout => now - run.StepStartedAt >= _policy.DrainTimeout,
            _ => throw new InvalidOperationException($"Run {run.Id}: unknown drain mode {run.DrainMode}."),
        };
        if (work.Count > 0 && !evict)
        {
            return run;
        }

        double lost = 0;
        foreach (var w in work)
        {
            lost += await _workloads.EvictAsync(w, $"remediation {run.Id}: {run.Reason}", cancellationToken);
        }

        string detail = work.Count == 0 ? "no work left on the hardware" : $"{work.Count} job(s) requeued from their last checkpoint, {lost:0.##} GPU-hours lost";
        return await WriteAsync(run, run with { Step = RemediationStep.Act, GpuHoursLost = run.GpuHoursLost + lost }, "drained", detail, detail, Automation, cancellationToken);
    }

    private async Task<RemediationRun?> ActAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (run.Action == RemediationAction.None)
        {
            return await WriteAsync(run, run with { Step = RemediationStep.Verify }, "acted", "no hardware action on this rung: the work is off, verify", "work moved off; verifying", Automation, cancellationToken);
        }

        var request = EscalationLadder.Request(run, await NumericAnomalyAsync(run, cancellationToken))!;
        if (run.Action == RemediationAction.Replace)
        {
            return await ReplaceAsync(run, request, cancellationToken);
        }

        var result = Poll(run, request, now);
        if (result is null)
        {
            return run;
        }

        if (!result.Succeeded)
        {
            return await EscalateAsync(run, $"{run.Action} failed: {result.Detail}", cancellationToken);
        }

        if (EscalationLadder.IsFacility(run.Action) || run.Action == RemediationAction.Diagnose)
        {
            // A facility repair is verified by the technician; diagnostics that pass are the verification.
            return await ReturnAsync(run, $"{run.Action} succeeded: {result.Detail}", cancellationToken);
        }

        return await WriteAsync(run, run with { Step = RemediationStep.Verify }, "acted", $"{run.Action} done: {result.Detail}", $"{run.Action} done; verifying", Automation, cancellationToken);
    }

    private async Task<RemediationRun?> VerifyAsync(RemediationRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = new ActuationRequest(
            HardwareAction.RunDiagnostics, EscalationLadder.DiagnosticsTarget(run), $"remediation {run.Id}: burn-in after {run.Action}",
            EscalationLadder.VerifyLevel(run, _policy.VerifyLevel));
        var result = Poll(run, request, now);
        if (result is null)
        {
            return run;
        }

        return result.Succeeded
            ? await ReturnAsync(run, $"verified: {result.Detail}", cancellationToken)
            : await EscalateAsync(run, $"verification after {run.Action} failed: {result.Detail}", cancellationToken);
    }

    /// <summary>
    /// Starts the action of the run's current step and rung when none is in flight here; returns its result once it has
    /// completed (a timeout is a failure), null while it runs. Never awaits the action: a reboot takes minutes.
    /// </summary>
    private ActuationResult? Poll(RemediationRun run, ActuationRequest request, DateTimeOffset now)
    {
        if (!_inFlight.TryGetValue(run.Id, out var flight) || flight.Step != run.Step || flight.Rung != run.Rung)
        {
            flight = new InFlight(run.Step, run.Rung, Start(request));
            _inFlight[run.Id] = flight;
        }

        if (!flight.Action.IsCompleted)
        {
            if (now - run.StepStartedAt < _policy.ActionTimeout)
            {
                return null;
            }

            _inFlight.Remove(run.Id);
            return new ActuationResult(false, now - run.StepStartedAt, $"no answer within {_policy.ActionTimeout.TotalMinutes:0.#} min");
        }

        _inFlight.Remove(run.Id);
        return flight.Action.IsCompletedSuccessfully
            ? flight.Action.Result
            : new ActuationResult(false, TimeSpan.Zero, flight.Action.Exception?.GetBaseException().Message ?? "cancelled");
    }

    private Task<ActuationResult> Start(ActuationRequest request)
    {
        if (!_actuator.Supported.Contains(request.Action))
        {
            // A plugin that cannot do it (a BMC actuator asked for a fabric ticket) fails the rung; the ladder goes on.
            return Task.FromResult(new ActuationResult(false, TimeSpan.Zero, $"the actuator does not support {request.Action}"));
        }

        try
        {
            // The action belongs to the run, not to the round that started it: the round's token must not cancel a
            // reboot halfway. ActionTimeout bounds it instead.
            return _actuator.ExecuteAsync(request, CancellationToken.None);
        }
        catch (Exception ex)
        {
            return Task.FromException<ActuationResult>(ex);
        }
    }

    private async Task<RemediationRun?> ReplaceAsync(RemediationRun run, ActuationRequest request, CancellationToken cancellationToken)
    {
        // The ticket takes hours to days: the run ends when the capacity is in RMA, the ticket goes on with the technician.
        var ticket = Start(request);
        _ = ticket.ContinueWith(
            t => _logger.LogInformation("Replacement ticket {Action} of {Target} for {Run} ended: {Outcome}", request.Action, request.Target, run.Id, t.IsCompletedSuccessfully ? t.Result.Detail : t.Exception?.GetBaseException().Message),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        string reason = $"remediation {run.Id}: {run.Reason}";
        if (run.Target.Kind == ComponentKind.Gpu)
        {
            if (EscalationLadder.NodeFenced(run))
            {
                // The GPU goes; the node's other GPUs serve again while it is away.
                await _fleet.ReleaseAsync(run.Nodes, None, $"{reason}: {run.Target.Id} goes to RMA, the rest of its node serves", cancellationToken);
            }

            await _fleet.RetireAsync(None, run.Gpus, reason, cancellationToken);
        }
        else
        {
            await _fleet.RetireAsync(run.Nodes, None, reason, cancellationToken);
        }

        string detail = $"capacity in RMA: {request.Action} ticket opened for {request.Target}";
        return await WriteAsync(run, run with { Step = RemediationStep.Rma }, "rma", detail, detail, Automation, cancellationToken);
    }

    private async Task<RemediationRun?> ReturnAsync(RemediationRun run, string detail, CancellationToken cancellationToken)
    {
        var (nodes, gpus) = Fence(run);
        if (nodes.Count > 0 || gpus.Count > 0)
        {
            await _fleet.ReleaseAsync(nodes, gpus, $"remediation {run.Id}: {detail}", cancellationToken);
        }

        return await WriteAsync(run, run with { Step = RemediationStep.Returned }, "returned", detail, $"back in service: {detail}", Automation, cancellationToken);
    }

    private async Task<RemediationRun?> EscalateAsync(RemediationRun run, string why, CancellationToken cancellationToken)
    {
        int rung = run.Rung + 1;
        if (rung >= run.Ladder.Count)
        {
            // Nothing automatic is left (a facility ticket failed): the fence stays, a person takes it from here.
            string summary = $"Remediation {run.Id} of {run.Target} ran out of automatic actions: {why}. The hardware stays fenced; a person decides.";
            await _pager.PageAsync(new OnCallPage(_clock.GetUtcNow(), Severity.Warning, "health-remediation", summary), cancellationToken);
            return await WriteAsync(run, run with { Step = RemediationStep.Refused }, "ladder exhausted", why, $"ladder exhausted: {why}; a person decides", Automation, cancellationToken);
        }

        var action = run.Ladder[rung];
        bool widen = EscalationLadder.FencesNode(run, action) && !EscalationLadder.NodeFenced(run);
        bool approval = _policy.RequireApproval.Contains(action);
        var step = approval ? RemediationStep.AwaitingApproval : widen ? RemediationStep.Cordon : RemediationStep.Act;
        var next = run with
        {
            Rung = rung,
            Step = step,
            RequiresApproval = run.RequiresApproval || approval,
            ApprovedBy = approval ? null : run.ApprovedBy,
        };
        string detail = $"{why}; next: {action}{(widen ? ", fence widened to the node" : "")}{(approval ? ", awaiting approval" : "")}";
        _logger.LogInformation("Remediation {Run} of {Target} escalates: {Detail}", run.Id, run.Target, detail);
        return await WriteAsync(run, next, "escalated", detail, $"escalated: {detail}", Automation, cancellationToken);
    }

    private async Task<RemediationRun?> NoteOnceAsync(RemediationRun run, string what, string detail, CancellationToken cancellationToken)
    {
        if (run.History.Count > 0 && run.History[^1].What == what)
        {
            return run;
        }

        return await WriteAsync(run, run, what, detail, $"{what}: {detail}", Automation, cancellationToken);
    }

    private async Task<bool> NumericAnomalyAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        if (run.Action != RemediationAction.Diagnose)
        {
            return false;
        }

        if (_numericAnomaly.Contains(run.DiagnosisId))
        {
            return true;
        }

        // After a restart the diagnosis is read back: r4 must not silently drop to r3.
        var diagnosis = await _store.GetDiagnosisAsync(run.DiagnosisId, cancellationToken);
        return diagnosis is not null && diagnosis.Findings.Any(f => f.Code == EscalationLadder.NumericAnomaly);
    }

    /// <summary>Writes the next version of a run (history, version, step times) and audits it; null when another writer got there first.</summary>
    private async Task<RemediationRun?> WriteAsync(RemediationRun current, RemediationRun next, string what, string detail, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        bool moved = next.Step != current.Step || next.Rung != current.Rung;
        var version = next with
        {
            Version = current.Version + 1,
            StepStartedAt = moved ? now : current.StepStartedAt,
            FinishedAt = next.IsFinished ? current.FinishedAt ?? now : null,
            History = [.. current.History, new RemediationEvent(now, next.Step, what, detail)],
        };
        RemediationRun written;
        try
        {
            written = await _store.UpdateRunAsync(version, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another controller moved it: take its version and look again next round.
            _logger.LogInformation("Remediation {Run} changed under us at version {Version}; reloading", current.Id, current.Version);
            _active.Remove(current.Id);
            _held = null;
            Track(await _store.GetRunAsync(current.Id, cancellationToken));
            return null;
        }

        Track(written);
        await AuditAsync(written, current.Step, reason, actor, cancellationToken);
        return written;
    }

    private Task AuditAsync(RemediationRun run, RemediationStep? before, string reason, Actor actor, CancellationToken cancellationToken) =>
        _audit.RecordAsync(
            new AuditEntry(
                _clock.GetUtcNow(),
                actor,
                $"remediation.{run.Step.ToString().ToLowerInvariant()}",
                run.Target.ToString(),
                reason,
                before?.ToString(),
                run.Step.ToString(),
                $"{run.Id}:v{run.Version}"),
            cancellationToken);

    /// <summary>The nodes active runs hold against the budget; computed again only after a run changed.</summary>
    private HashSet<string> HeldNodes()
    {
        if (_held is not null)
        {
            return _held;
        }

        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in _active.Values)
        {
            // A run awaiting approval keeps its place in the budget: approving it must never overflow the budget.
            if (!run.IsFinished && !run.DryRun && run.Step != RemediationStep.Queued)
            {
                held.UnionWith(run.Nodes);
            }
        }

        _held = held;
        return held;
    }

    private static RemediationStep FirstWorkStep(RemediationRun run) =>
        run.Nodes.Count == 0 && run.Gpus.Count == 0 ? RemediationStep.Act : RemediationStep.Cordon;

    /// <summary>What the run fences now: the GPU alone for GPU-level rungs, the whole node once a rung needed it.</summary>
    private static (IReadOnlyList<string> Nodes, IReadOnlyList<string> Gpus) Fence(RemediationRun run) =>
        EscalationLadder.NodeFenced(run) ? (run.Nodes, run.Gpus) : (None, run.Gpus);

    private static string Describe(RemediationPlan plan) =>
        plan.Target.Kind == ComponentKind.Gpu ? $"GPU {plan.Target.Id}" : plan.Nodes.Count > 0 ? $"node(s) {string.Join(", ", plan.Nodes)}" : $"nothing ({plan.Target} ticket only)";

    private static string RunId(string diagnosisId, DateTimeOffset now)
    {
        // Derived from the diagnosis (one run per diagnosis): deterministic under the simulator's clock, unique across restarts.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"rem:{diagnosisId}"), hash);
        return SortableId.Format("rem", now, hash[..10]);
    }

    private sealed record InFlight(RemediationStep Step, int Rung, Task<ActuationResult> Action);

    private sealed record Signalled(DateTimeOffset StepStartedAt, int Jobs);
}
