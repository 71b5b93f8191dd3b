using System.Globalization;
using System.Text;
using NeoCloud.Access.Relay;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Fleet.Commands;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Server.Health;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>
/// Runbook steps over what the host already has: the fleet's lifecycle (cordon, uncordon, drain as recorded
/// transitions by <c>automation:runbook:&lt;run id&gt;</c>), the job controller (evict and requeue), the plugin host's
/// actuator (DCGM diagnostics), the health store (findings) and the pager. Every call, dry runs included, writes one
/// audit record naming the run, the step and the person it acts for; a dry run reads but changes nothing.
/// </summary>
public sealed class RunbookHostActions(
    IFleetStore fleet,
    NodeLifecycleService lifecycle,
    JobController jobs,
    IWorkloadStore workloads,
    IHardwareActuator actuator,
    IPager pager,
    IAuditTrail audit,
    TimeProvider clock,
    ILogger<RunbookHostActions> logger,
    IHealthStore? health = null,
    LifecycleAuditRelay? relay = null) : IRunbookActions
{
    private const int FindingsShown = 5;

    /// <summary>The actor lifecycle history and job events name for a run's changes.</summary>
    public static Actor ActorOf(string runId) => Actor.Automation("runbook:" + runId);

    public async Task<RunbookStepResult> ExecuteAsync(RunbookAction action, IReadOnlyDictionary<string, string> args, RunbookContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        string target = args.GetValueOrDefault("node") ?? args.GetValueOrDefault("job") ?? context.Runbook;
        string reason = $"runbook {context.Runbook} run {context.RunId} step {context.Step} on behalf of {context.OnBehalfOf}" +
            (args.TryGetValue("reason", out string? why) && why.Length > 0 ? $": {why}" : "");
        RunbookStepResult result;
        try
        {
            result = action switch
            {
                RunbookAction.Query => await QueryAsync(args, cancellationToken),
                RunbookAction.Cordon => await MoveAsync(args["node"], LifecycleState.Cordoned, schedulable: false, context, reason, cancellationToken),
                RunbookAction.Uncordon => await MoveAsync(args["node"], LifecycleState.Available, schedulable: true, context, reason, cancellationToken),
                RunbookAction.Drain => await DrainAsync(args["node"], context, reason, cancellationToken),
                RunbookAction.RunDiagnostics => await DiagnoseAsync(args["node"], args.GetValueOrDefault("level"), context, reason, cancellationToken),
                RunbookAction.RestartJob => await RestartAsync(args["job"], context, reason, cancellationToken),
                RunbookAction.Notify => await NotifyAsync(args["message"], args.GetValueOrDefault("severity"), context, cancellationToken),
                RunbookAction.Wait => await WaitAsync(args["for"], context, cancellationToken),
                _ => RunbookStepResult.Failed($"the host has no implementation of {action}"),
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or IllegalTransitionException or InvalidOperationException or ArgumentException)
        {
            result = RunbookStepResult.Failed(ex.Message);
        }

        // Audited whatever happened: a refused or failed action is part of the record too.
        await audit.RecordAsync(new AuditEntry(
            clock.GetUtcNow(), ActorOf(context.RunId), $"runbook.{RunbookActions.NameOf(action)}{(context.DryRun ? ".dry-run" : "")}", target, reason,
            null, $"{(result.Succeeded ? "succeeded" : "failed")}: {Shorten(result.Output)}"), CancellationToken.None);
        return result;
    }

    private async Task<RunbookStepResult> QueryAsync(IReadOnlyDictionary<string, string> args, CancellationToken cancellationToken)
    {
        if (args.TryGetValue("job", out string? jobId))
        {
            var job = await workloads.GetAsync(new JobId(jobId), cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}'.");
            return RunbookStepResult.Ok(string.Create(CultureInfo.InvariantCulture,
                $"job {job.Id} ({job.Name}) is {job.State} on attempt {job.Attempt}, retries {job.RetriesUsed}/{job.RetryBudget}, last checkpoint {job.CheckpointAt?.ToString("O", CultureInfo.InvariantCulture) ?? "none"}; placed on {(job.Placement.Count == 0 ? "nothing" : string.Join(", ", job.Placement.Select(p => p.Node.Value)))}; last reason: {job.LastReason}"));
        }

        string node = args["node"];
        var found = await fleet.GetNodeAsync(new NodeId(node), cancellationToken) ?? throw new KeyNotFoundException($"No node '{node}'.");
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"node {node} is {LifecycleActions.StateName(found.State)}"));
        var placed = (await jobs.ListPlacedAsync(cancellationToken)).Where(j => j.Placement.Any(p => p.Node.Value == node)).ToList();
        text.Append(CultureInfo.InvariantCulture, $"; {placed.Count} job(s) placed on it{(placed.Count == 0 ? "" : ": " + string.Join(", ", placed.Select(j => j.Id.Value)))}");
        if (health is not null)
        {
            var findings = await health.ListFindingsAsync(new FindingQuery(node, null, null, FindingsShown, null), cancellationToken);
            text.Append(CultureInfo.InvariantCulture, $"; {(findings.Items.Count == 0 ? "no findings" : "latest findings: " + string.Join(", ", findings.Items.Select(f => $"{f.Code} ({f.Severity.ToString().ToLowerInvariant()}, {f.Summary})")))}");
        }

        return RunbookStepResult.Ok(text.ToString());
    }

    private async Task<RunbookStepResult> MoveAsync(string node, LifecycleState to, bool schedulable, RunbookContext context, string reason, CancellationToken cancellationToken)
    {
        var id = new NodeId(node);
        var before = (await fleet.GetNodeAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"No node '{node}'.")).State;
        string verb = to == LifecycleState.Cordoned ? "cordon" : "uncordon";
        if (before == to)
        {
            return RunbookStepResult.Ok($"node {node} is already {LifecycleActions.StateName(to)}: nothing to {verb}");
        }

        if (!LifecycleMachine.Node.NextStates(before).Contains(to))
        {
            return RunbookStepResult.Failed($"node {node} is {LifecycleActions.StateName(before)}; the lifecycle does not allow {verb} from there");
        }

        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would {verb} node {node} ({LifecycleActions.StateName(before)} → {LifecycleActions.StateName(to)})");
        }

        await lifecycle.TransitionAsync(id, to, ActorOf(context.RunId), reason, cancellationToken);
        await jobs.SetSchedulableAsync(id, schedulable, cancellationToken);
        await RelayAsync(cancellationToken);
        return RunbookStepResult.Ok($"{verb}ed node {node} ({LifecycleActions.StateName(before)} → {LifecycleActions.StateName(to)})");
    }

    private async Task<RunbookStepResult> DrainAsync(string node, RunbookContext context, string reason, CancellationToken cancellationToken)
    {
        var id = new NodeId(node);
        var state = (await fleet.GetNodeAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"No node '{node}'.")).State;
        var path = state == LifecycleState.Draining ? [] : FleetRemediationPort.PathTo(LifecycleMachine.Node, state, LifecycleState.Draining)
            ?? throw new IllegalTransitionException("node", node, state, LifecycleState.Draining, LifecycleMachine.Node.NextStates(state));
        var placed = (await jobs.ListPlacedAsync(cancellationToken)).Where(j => j.Placement.Any(p => p.Node.Value == node)).ToList();
        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would drain node {node} ({LifecycleActions.StateName(state)} → draining) and requeue {placed.Count} job(s) from their last checkpoint" +
                (placed.Count == 0 ? "" : ": " + string.Join(", ", placed.Select(j => j.Id.Value))));
        }

        foreach (var step in path)
        {
            await lifecycle.TransitionAsync(id, step, ActorOf(context.RunId), reason, cancellationToken);
        }

        await jobs.SetSchedulableAsync(id, false, cancellationToken);
        await RelayAsync(cancellationToken);
        double lost = 0;
        foreach (var job in placed)
        {
            await jobs.SignalCheckpointAsync(job.Id, cancellationToken);
            lost += await jobs.EvictAsync(job.Id, reason, cancellationToken);
        }

        return RunbookStepResult.Ok(string.Create(CultureInfo.InvariantCulture,
            $"drained node {node}: requeued {placed.Count} job(s) from their last checkpoint ({lost:0.##} GPU-hours since checkpoints lost){(placed.Count == 0 ? "" : ": " + string.Join(", ", placed.Select(j => j.Id.Value)))}"));
    }

    private async Task<RunbookStepResult> DiagnoseAsync(string node, string? level, RunbookContext context, string reason, CancellationToken cancellationToken)
    {
        _ = await fleet.GetNodeAsync(new NodeId(node), cancellationToken) ?? throw new KeyNotFoundException($"No node '{node}'.");
        var dcgm = (DiagnosticLevel)int.Parse((level ?? "r1").TrimStart('r', 'R'), NumberStyles.None, CultureInfo.InvariantCulture);
        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would run DCGM diagnostics {dcgm} on node {node}");
        }

        var result = await actuator.ExecuteAsync(new ActuationRequest(HardwareAction.RunDiagnostics, node, reason, dcgm), cancellationToken);
        return new RunbookStepResult(result.Succeeded, string.Create(CultureInfo.InvariantCulture,
            $"DCGM diagnostics {dcgm} on node {node} {(result.Succeeded ? "passed" : "failed")} after {result.Took}: {result.Detail}"));
    }

    private async Task<RunbookStepResult> RestartAsync(string job, RunbookContext context, string reason, CancellationToken cancellationToken)
    {
        var found = await workloads.GetAsync(new JobId(job), cancellationToken) ?? throw new KeyNotFoundException($"No job '{job}'.");
        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would restart job {job} ({found.State}) from its last checkpoint");
        }

        double lost = await jobs.EvictAsync(found.Id, reason, cancellationToken);
        var after = await workloads.GetAsync(found.Id, cancellationToken);
        return lost == 0 && after?.State == found.State
            ? RunbookStepResult.Failed($"job {job} is {found.State} and holds no capacity: there is no attempt to restart")
            : RunbookStepResult.Ok(string.Create(CultureInfo.InvariantCulture, $"restarted job {job}: {found.State} → {after?.State}, {lost:0.##} GPU-hours since its checkpoint lost"));
    }

    private async Task<RunbookStepResult> NotifyAsync(string message, string? severity, RunbookContext context, CancellationToken cancellationToken)
    {
        var level = severity?.ToLowerInvariant() switch
        {
            "critical" or "page" => Severity.Critical,
            "info" => Severity.Info,
            _ => Severity.Warning,
        };
        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would page ({level.ToString().ToLowerInvariant()}): {message}");
        }

        logger.LogWarning("Runbook {Runbook} run {Run} notifies: {Message}", context.Runbook, context.RunId, message);
        await pager.PageAsync(new OnCallPage(clock.GetUtcNow(), level, $"runbook:{context.Runbook}", message), cancellationToken);
        return RunbookStepResult.Ok($"paged ({level.ToString().ToLowerInvariant()}): {message}");
    }

    private async Task<RunbookStepResult> WaitAsync(string duration, RunbookContext context, CancellationToken cancellationToken)
    {
        if (!SpecMapping.TryParseDuration(duration, out var span) || span <= TimeSpan.Zero)
        {
            return RunbookStepResult.Failed($"'{duration}' is not a positive duration");
        }

        if (context.DryRun)
        {
            return RunbookStepResult.Ok($"would wait {span}");
        }

        await Task.Delay(span, clock, cancellationToken);
        return RunbookStepResult.Ok($"waited {span}");
    }

    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        // As the lifecycle endpoints do: audit the committed transition now; the relay's background pass would otherwise.
        if (relay is not null)
        {
            await relay.RelayAsync(cancellationToken);
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
