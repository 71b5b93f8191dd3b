using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>
/// The host's runbooks: the catalog (files from <c>NeoCloud:Reliability:RunbooksPath</c> at start, then manifests put
/// through the API and kept in the reliability store), the runner over <see cref="RunbookHostActions"/>, and the
/// background advancing of runs (started, approved, or left unfinished by a previous process). Every change a person
/// or an alert makes here is audited; the actions audit themselves.
/// </summary>
public sealed class RunbookService : BackgroundService
{
    /// <summary>The <see cref="StoredRecord.Label"/> of runbook manifests among the store's manifests.</summary>
    public const string ManifestLabel = Runbook.Kind;

    /// <summary>Who starts the runs of alerts: not a person, so any person may approve their destructive steps.</summary>
    public static readonly Actor AlertActor = Actor.Automation("runbook-trigger");

    private readonly IReliabilityStore? _store;
    private readonly RunbookRunner? _runner;
    private readonly IAuditTrail _audit;
    private readonly TimeProvider _clock;
    private readonly RunbookOptions _options;
    private readonly ILogger<RunbookService> _logger;
    private readonly ConcurrentDictionary<Task, byte> _advancing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RunbookCatalog _catalog = RunbookCatalog.Empty;

    public RunbookService(IReliabilityStore? store, IRunbookActions actions, IAuditTrail audit, TimeProvider clock, IOptions<RunbookOptions> options, ILogger<RunbookService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _audit = audit;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _runner = store is null ? null : new RunbookRunner(store, actions, clock, new RunbookRunnerOptions
        {
            RequireSecondApprover = _options.RunbookTwoPersonRule,
            DefaultStepTimeout = _options.RunbookStepTimeout,
        });
    }

    /// <summary>Why runbooks cannot run here, or null when they can.</summary>
    public string? Unavailable => _store is null ? "no reliability store is registered (IReliabilityStore): runbook runs cannot be kept" : null;

    public RunbookCatalog Catalog => _catalog;

    public RunbookRunner Runner => _runner ?? throw new RunbookUnavailableException(Unavailable!);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The catalog is complete before the host answers a request; a bad runbook file stops the start, naming it.
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_advancing.Keys).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        _catalogGate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResumeAsync(stoppingToken);
        }
        finally
        {
            _resumed.TrySetResult();
        }
    }

    private async Task ResumeAsync(CancellationToken stoppingToken)
    {
        if (_runner is null)
        {
            _logger.LogWarning("Runbooks cannot run: {Reason}", Unavailable);
            return;
        }

        // Runs a previous process left unfinished go on; the runner judges steps that were interrupted mid-action.
        foreach (var state in new[] { RunbookRunState.Running, RunbookRunState.Pending })
        {
            string? cursor = null;
            do
            {
                var page = await _runner.ListAsync(state, null, Kernel.Keyset.MaxLimit, cursor, stoppingToken);
                foreach (var run in page.Items)
                {
                    _logger.LogInformation("Resuming runbook run {Run} of {Runbook} ({State})", run.Id, run.Runbook, run.State);
                    Schedule(run.Id);
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }
    }

    /// <summary>Declares or replaces a runbook from its manifest (YAML or JSON); true when it is new.</summary>
    /// <exception cref="RunbookSpecException">The manifest is invalid (every error listed).</exception>
    public async Task<(Runbook Runbook, bool Created)> PutAsync(string name, string manifest, Actor actor, CancellationToken cancellationToken)
    {
        var runbook = RunbookManifestReader.Parse(manifest);
        if (runbook.Name != name)
        {
            throw new ArgumentException($"the manifest names runbook '{runbook.Name}' but was put at '{name}'", "metadata.name");
        }

        var store = _store ?? throw new RunbookUnavailableException(Unavailable!);
        await _catalogGate.WaitAsync(cancellationToken);
        try
        {
            string id = ManifestId(name);
            var now = _clock.GetUtcNow();
            var existing = await store.GetAsync(ReliabilityRecordKinds.Manifest, id, cancellationToken);
            if (existing is null)
            {
                var created = await store.CreateAsync(new StoredRecord(ReliabilityRecordKinds.Manifest, id, 1, "", ManifestLabel, now, now, manifest), cancellationToken);
                if (created.Body != manifest)
                {
                    throw new Kernel.Persistence.ConcurrencyConflictException($"runbook '{name}' was declared by someone else at the same time; read it and retry");
                }
            }
            else if (existing.Body != manifest)
            {
                await store.UpdateAsync(existing with { Version = existing.Version + 1, UpdatedAt = now, Body = manifest }, cancellationToken);
            }

            var previous = _catalog.Find(name);
            if (previous?.ManifestHash == runbook.ManifestHash)
            {
                // The same manifest put again (a retried PUT, an unchanged GitOps apply): nothing changed, nothing to audit.
                return (previous, false);
            }

            _catalog = _catalog.With(runbook);
            await _audit.RecordAsync(new AuditEntry(now, actor, previous is null ? "runbook.create" : "runbook.update", $"runbook/{name}",
                "declared through the API", previous?.ManifestHash, runbook.ManifestHash), cancellationToken);
            return (runbook, previous is null);
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <summary>Starts a run by hand; it advances in the background. Unknown runbooks are <see cref="KeyNotFoundException"/>, bad parameters <see cref="ArgumentException"/>.</summary>
    public async Task<RunbookRun> StartAsync(string name, IReadOnlyDictionary<string, string> parameters, bool dryRun, Actor actor, CancellationToken cancellationToken)
    {
        var runbook = _catalog.Find(name) ?? throw new KeyNotFoundException($"No runbook '{name}'.");
        var run = await Runner.StartAsync(runbook, parameters, RunbookRunTrigger.Manual, actor, dryRun, null, cancellationToken);
        await AuditAsync(actor, "runbook.run.start", run, $"{(dryRun ? "dry run" : "run")} of {name} by hand", cancellationToken);
        Schedule(run.Id);
        return run;
    }

    /// <summary>
    /// Starts the runbooks a newly firing alert triggers. Idempotent while the alert fires: the run id comes from the
    /// alert's fingerprint, start time and the runbook, so a repeated notification returns the runs made first. Matches
    /// whose labels leave a required parameter unbound are logged and not started.
    /// </summary>
    public async Task<IReadOnlyList<RunbookRun>> StartForAlertAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var runs = new List<RunbookRun>();
        foreach (var match in _catalog.Triggered(alert, _clock.GetUtcNow()))
        {
            if (!match.IsTriggered)
            {
                _logger.LogWarning("Alert {Alert} matches runbook {Runbook} but does not start it: {Reason}", alert["alertname"], match.Runbook.Name, match.NotTriggeredReason);
                continue;
            }

            string id = AlertRunId(alert, match.Runbook.Name);
            bool known = await Runner.GetAsync(id, cancellationToken) is not null;
            var run = await Runner.StartAsync(match.Runbook, match.Parameters, RunbookRunTrigger.ForAlert(alert["alertname"], alert.Fingerprint), AlertActor, false,
                alert.Labels, cancellationToken, id);
            if (!known)
            {
                await AuditAsync(AlertActor, "runbook.run.start", run, $"alert {alert["alertname"]} ({run.Trigger.AlertFingerprint}) fired", cancellationToken);
            }

            Schedule(run.Id);
            runs.Add(run);
        }

        return runs;
    }

    public async Task<RunbookRun> ApproveAsync(string runId, Actor actor, string? step, CancellationToken cancellationToken)
    {
        var before = await Runner.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No runbook run '{runId}'.");
        var run = await Runner.ApproveAsync(runId, actor, cancellationToken, step);
        if (run.Version != before.Version)
        {
            await AuditAsync(actor, "runbook.run.approve", run, $"approved step '{run.Current?.Name}'", cancellationToken);
        }

        Schedule(run.Id);
        return run;
    }

    public async Task<RunbookRun> CancelAsync(string runId, Actor actor, string reason, CancellationToken cancellationToken)
    {
        var before = await Runner.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No runbook run '{runId}'.");
        var run = await Runner.CancelAsync(runId, actor, reason, cancellationToken);
        if (run.Version != before.Version)
        {
            await AuditAsync(actor, "runbook.run.cancel", run, reason, cancellationToken);
        }

        return run;
    }

    /// <summary>Waits until the runs left by a previous process are scheduled and no run advances in the background (tests, and a clean stop).</summary>
    public async Task IdleAsync()
    {
        await _resumed.Task;
        await Task.WhenAll(_advancing.Keys);
    }

    /// <summary>The id of the run an alert starts: sortable by the alert's start, the same for every repeat of one firing.</summary>
    public static string AlertRunId(Alert alert, string runbook)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{alert.Fingerprint:x16}|{runbook}|{alert.StartsAt.UtcTicks}"));
        return SortableId.Format(RunbookRun.IdPrefix, alert.StartsAt, hash.AsSpan(0, 10));
    }

    public static string ManifestId(string name) => $"{Runbook.Kind}/{name}";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var runbooks = new Dictionary<string, Runbook>(StringComparer.Ordinal);
        if (_options.RunbooksPath is { Length: > 0 } path)
        {
            if (!Directory.Exists(path))
            {
                throw new InvalidOperationException($"NeoCloud:Reliability:RunbooksPath '{path}' is not a directory.");
            }

            foreach (string file in Directory.EnumerateFiles(path).Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json").Order(StringComparer.Ordinal))
            {
                try
                {
                    var runbook = RunbookManifestReader.Parse(await File.ReadAllTextAsync(file, cancellationToken));
                    if (!runbooks.TryAdd(runbook.Name, runbook))
                    {
                        throw new InvalidOperationException($"Runbook '{runbook.Name}' in {file} is declared twice in {path}.");
                    }
                }
                catch (SpecException ex)
                {
                    throw new InvalidOperationException($"Runbook file {file} is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, ex.Errors)}", ex);
                }
            }
        }

        if (_store is not null)
        {
            string? cursor = null;
            do
            {
                var page = await _store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Manifest, null, ManifestLabel, null, Kernel.Keyset.MaxLimit, cursor), cancellationToken);
                foreach (var record in page.Items)
                {
                    var errors = new List<SpecError>();
                    if (RunbookManifestReader.TryParse(record.Body, errors) is { } runbook)
                    {
                        // Put through the API after the file was written: the stored one is the newer word.
                        runbooks[runbook.Name] = runbook;
                    }
                    else
                    {
                        _logger.LogError("Stored runbook manifest {Id} no longer reads and is skipped: {Errors}", record.Id, string.Join("; ", errors));
                    }
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        _catalog = new RunbookCatalog(runbooks.Values);
        _logger.LogInformation("Runbooks loaded: {Count} ({Names})", runbooks.Count, string.Join(", ", runbooks.Keys.Order(StringComparer.Ordinal)));
    }

    private void Schedule(string runId)
    {
        if (_runner is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        var task = Task.Run(async () =>
        {
            try
            {
                await _runner.AdvanceAsync(runId, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The host is stopping: the run stays as stored and the next start resumes it.
            }
#pragma warning disable CA1031 // A background advance has no caller to throw to: log it; the run stays as stored for the next attempt.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "Runbook run {Run} could not advance", runId);
            }
        });
        _advancing[task] = 0;
        _ = task.ContinueWith(t => _advancing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private Task AuditAsync(Actor actor, string action, RunbookRun run, string reason, CancellationToken cancellationToken) =>
        _audit.RecordAsync(new AuditEntry(_clock.GetUtcNow(), actor, action, $"runbook-run/{run.Id}", reason, null,
            $"{run.Runbook} {RunbookRunCodec.StateName(run.State)} at step {run.CurrentStep}"), cancellationToken);
}
