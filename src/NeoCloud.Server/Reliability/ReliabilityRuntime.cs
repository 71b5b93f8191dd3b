using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Pipeline;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Notifications;
using NeoCloud.Reliability.OnCall;
using NeoCloud.Reliability.Operations;
using NeoCloud.Reliability.Sources;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// The host's alert → incident → notification loop around one <see cref="ReliabilityEngine"/>. The engine is not
/// thread-safe, so every step, every person's command (ack, mitigate, resolve, silences) and every read goes through one
/// gate: a person's acknowledgement and the engine's automation are applied one after the other on the latest incident
/// and neither is lost. Incidents and silences are persisted (versioned) in the <see cref="IReliabilityStore"/> before
/// anyone is told about them; webhooks and pages go out after the gate is released so a slow receiver never stalls the API.
/// </summary>
public sealed class ReliabilityRuntime
{
    /// <summary>The action names audit entries carry.</summary>
    public const string AuditPrefix = "reliability.";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReliabilityEngine _engine;
    private readonly HealthAlertFeed? _health;
    private readonly IReadOnlyList<IAlertSource> _sources;
    private readonly IReliabilityStore? _store;
    private readonly IHealthStore? _healthStore;
    private readonly IAuditTrail _audit;
    private readonly IPager _pager;
    private readonly OnCallSchedule? _schedule;
    private readonly IReadOnlyList<(string Name, WebhookNotifier Notifier)> _webhooks;
    private readonly ReliabilityMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentStatus> _statusOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Level, int Pass)> _paged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _silenceCreatedAt = new(StringComparer.Ordinal);
    private DateTimeOffset _lastNow = DateTimeOffset.MinValue;

    public ReliabilityRuntime(
        ReliabilityEngine engine,
        HealthAlertFeed? health,
        IEnumerable<IAlertSource> sources,
        IReliabilityStore? store,
        IHealthStore? healthStore,
        IAuditTrail audit,
        IPager pager,
        OnCallSchedule? schedule,
        IEnumerable<(string Name, WebhookNotifier Notifier)> webhooks,
        ReliabilityMetrics metrics,
        TimeProvider clock,
        ILogger<ReliabilityRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sources);
        _engine = engine;
        _health = health;
        _sources = [.. sources];
        _store = store;
        _healthStore = healthStore;
        _audit = audit;
        _pager = pager;
        _schedule = schedule;
        _webhooks = [.. webhooks];
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The reliability clock: the twin's virtual time, the one Health stamps its findings with.</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Nodes with a firing alert (a GPU, port or the node itself) as of the last step: not healthy for the capacity SLI.</summary>
    public IReadOnlySet<string> UnhealthyNodes { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How many Health rounds (telemetry collection rounds) the last step took in.</summary>
    public int RoundsInLastStep { get; private set; }

    /// <summary>True when incidents and silences survive a restart (an <see cref="IReliabilityStore"/> is registered).</summary>
    public bool Persistent => _store is not null;

    /// <summary>
    /// Takes back the unresolved incidents and the silences the store holds, so numbering continues, alerts keep joining
    /// their incidents and silences keep muting. Run once, before the loop's first step.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            _logger.LogWarning("No reliability store is registered: incidents and silences live in memory only and are lost on restart");
            return;
        }

        var restored = new List<Incident>();
        foreach (var status in new[] { IncidentStatus.Open, IncidentStatus.Acknowledged, IncidentStatus.Mitigated })
        {
            await foreach (var record in AllAsync(new RecordQuery(ReliabilityRecordKinds.Incident, Status: status.ToString().ToLowerInvariant()), cancellationToken))
            {
                var incident = IncidentRecord.FromRecord(record);
                restored.Add(incident);
                _versions[incident.Id] = record.Version;
                _statusOf[incident.Id] = incident.Status;
            }
        }

        // Numbering continues after the highest incident ever opened, resolved ones included.
        var newest = await _store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Incident, Limit: 1), cancellationToken);
        var silences = new List<Silence>();
        await foreach (var record in AllAsync(new RecordQuery(ReliabilityRecordKinds.Manifest, Status: "silence"), cancellationToken))
        {
            if (record.Id.StartsWith(SilenceRecords.IdPrefix, StringComparison.Ordinal))
            {
                var silence = SilenceRecords.FromRecord(record);
                silences.Add(silence);
                _versions[record.Id] = record.Version;
                _silenceCreatedAt[silence.Id] = record.CreatedAt;
            }
        }

        await ReplayHealthAsync(restored, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var highest = newest.Items.Where(r => restored.All(i => i.Id != r.Id)).Select(IncidentRecord.FromRecord);
            _engine.Incidents.Restore(restored.Concat(highest.Where(i => i.IsResolved)));
            foreach (var silence in silences)
            {
                if (silence.EndsAt <= silence.StartsAt)
                {
                    // Expired before it began (ended by hand ahead of its start): it mutes nothing and the pipeline refuses it.
                    _logger.LogInformation("Silence {Silence} was expired before it started; not restored", silence.Id);
                    continue;
                }

                _engine.Pipeline.Silence(silence);
            }

            _lastNow = restored.Select(i => i.Timeline[^1].At).DefaultIfEmpty(_lastNow).Max();
        }
        finally
        {
            _gate.Release();
        }

        _logger.LogInformation("Reliability restored {Incidents} unresolved incidents and {Silences} silences", restored.Count, silences.Count);
    }

    /// <summary>
    /// Hands the Health diagnoses (and their runs) behind the restored incidents back to the Health alert source. Health
    /// raises a finding once per episode, so without this a restart would forget alerts that still stand, and the engine
    /// would resolve their incidents as quiet; with it they fire again (or end when their run has ended) and rejoin.
    /// </summary>
    private async Task ReplayHealthAsync(IReadOnlyList<Incident> restored, CancellationToken cancellationToken)
    {
        if (_health is null || _healthStore is null || restored.Count == 0)
        {
            return;
        }

        string prefix = IncidentLabels.Diagnosis + "=";
        var diagnoses = new List<Diagnosis>();
        var runs = new Dictionary<string, RemediationRun>(StringComparer.Ordinal);
        foreach (var incident in restored)
        {
            var found = new List<RemediationRun>();
            foreach (string runId in incident.RemediationRunIds)
            {
                if (await _healthStore.GetRunAsync(runId, cancellationToken) is { } run)
                {
                    found.Add(run);
                }
            }

            foreach (string key in incident.CorrelationKeys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            {
                if (await _healthStore.GetDiagnosisAsync(key[prefix.Length..], cancellationToken) is not { } diagnosis)
                {
                    continue;
                }

                diagnoses.Add(diagnosis);
                // A run merged from several diagnoses names only its first; the incident's other runs cover the rest.
                if ((found.FirstOrDefault(r => r.DiagnosisId == diagnosis.Id) ?? found.FirstOrDefault()) is { } acting)
                {
                    runs[diagnosis.Id] = acting;
                }
            }
        }

        if (diagnoses.Count > 0)
        {
            _health.Enqueue(new HealthRound(Now, [], diagnoses) { Runs = runs });
            _logger.LogInformation("Reliability replays {Diagnoses} Health diagnoses behind restored incidents", diagnoses.Count);
        }
    }

    /// <summary>
    /// One step at <paramref name="now"/>: health rounds taken in, every source's alerts gathered, the engine stepped,
    /// what it opened or changed persisted and audited, then webhooks sent and due pages paged.
    /// </summary>
    public async Task<ReliabilityStep> StepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ReliabilityStep step;
        List<(string Receiver, WebhookMessage Message)> messages = [];
        List<PageDue> pages;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            now = Later(now, _lastNow);
            RoundsInLastStep = _health is null ? 0 : await _health.CatchUpAsync(_healthStore, cancellationToken);

            var alerts = new List<Alert>();
            foreach (var source in _sources)
            {
                try
                {
                    alerts.AddRange(source.Alerts(now));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One broken source must not blind the loop to the others' alerts.
                    _logger.LogError(ex, "Alert source {Source} failed; its alerts are left out of this step", source.GetType().Name);
                }
            }

            step = _engine.Step(alerts, now);
            _lastNow = now;
            foreach (var incident in step.Opened)
            {
                await PersistAsync(incident, now, cancellationToken);
                _metrics.Opened(incident);
                _logger.LogWarning(
                    "Incident {Incident} opened ({Severity}): {Title}; probable root cause {RootCause}",
                    incident.Id, IncidentRecord.SeverityName(incident.Severity), incident.Title, incident.ProbableRootCause);
            }

            foreach (var incident in step.Changed)
            {
                await PersistAsync(incident, now, cancellationToken);
            }

            foreach (var notification in step.Notifications)
            {
                foreach (var (name, _) in _webhooks)
                {
                    messages.Add((name, MessageOf(notification, name)));
                }
            }

            pages = PagesDue(now);
            UnhealthyNodes = _engine.Alerts.Where(a => !a.IsResolvedAt(now) && a[IncidentLabels.Node].Length > 0)
                .Select(a => a[IncidentLabels.Node]).ToHashSet(StringComparer.Ordinal);
            _metrics.Observe(_engine.Alerts.Where(a => !a.IsResolvedAt(now)), _engine.Incidents.Unresolved);
        }
        finally
        {
            _gate.Release();
        }

        await Task.WhenAll(messages.Select(m => SendAsync(m.Receiver, m.Message, cancellationToken)));
        foreach (var page in pages)
        {
            await PageAsync(page, now, cancellationToken);
        }

        return step;
    }

    /// <summary>A person takes the incident; acknowledging it again changes nothing.</summary>
    /// <exception cref="KeyNotFoundException">No such incident.</exception>
    /// <exception cref="IncidentTransitionException">The incident is resolved.</exception>
    public Task<Incident> AcknowledgeAsync(string id, Actor actor, string? note, CancellationToken cancellationToken) =>
        CommandAsync(id, actor, "acknowledge", note ?? "", (tracker, at) => tracker.Acknowledge(id, at, actor.ToString(), note ?? ""), cancellationToken);

    /// <summary>A person says the impact has stopped.</summary>
    /// <exception cref="KeyNotFoundException">No such incident.</exception>
    /// <exception cref="IncidentTransitionException">The incident is open (not yet acknowledged), already mitigated, or resolved.</exception>
    public Task<Incident> MitigateAsync(string id, Actor actor, string? note, CancellationToken cancellationToken) =>
        CommandAsync(id, actor, "mitigate", note ?? "", (tracker, at) => tracker.Mitigate(id, at, actor.ToString(), note ?? ""), cancellationToken);

    /// <summary>A person says the cause is fixed; their root cause replaces the probable one.</summary>
    /// <exception cref="KeyNotFoundException">No such incident.</exception>
    /// <exception cref="IncidentTransitionException">The incident is open (not yet acknowledged) or already resolved.</exception>
    public Task<Incident> ResolveAsync(string id, Actor actor, string? note, string? rootCause, CancellationToken cancellationToken) =>
        CommandAsync(id, actor, "resolve", note ?? "", (tracker, at) => tracker.Resolve(id, at, actor.ToString(), note ?? "", rootCause), cancellationToken);

    /// <summary>The incident as it stands (the live one while unresolved, else the stored one); null when there is none.</summary>
    public async Task<Incident?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await FindAsync(id, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Incidents newest first. With a store, a keyset page of it (status, severity and since filtered by the store, line of
    /// business within the page); without one, the incidents this process knows, in one page.
    /// </summary>
    public async Task<Kernel.Page<Incident>> ListAsync(
        IncidentStatus? status, IncidentSeverity? severity, string? lineOfBusiness, DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken)
    {
        bool Wanted(Incident i) => lineOfBusiness is null || string.Equals(i.LineOfBusiness, lineOfBusiness, StringComparison.Ordinal);
        if (_store is not null)
        {
            var page = await _store.ListAsync(
                new RecordQuery(
                    ReliabilityRecordKinds.Incident, status?.ToString().ToLowerInvariant(), severity is { } s ? IncidentRecord.SeverityName(s) : null, since, limit, cursor),
                cancellationToken);
            return new Kernel.Page<Incident>([.. page.Items.Select(IncidentRecord.FromRecord).Where(Wanted)], page.NextCursor);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var items = _engine.Incidents.Incidents
                .Where(i => (status is null || i.Status == status) && (severity is null || i.Severity == severity) && (since is null || i.OpenedAt >= since) && Wanted(i))
                .OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return new Kernel.Page<Incident>(items, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every incident this process knows and, with a store, every stored one: the population of the figures.</summary>
    public async Task<IReadOnlyList<Incident>> AllIncidentsAsync(CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, Incident>(StringComparer.Ordinal);
        if (_store is not null)
        {
            await foreach (var record in AllAsync(new RecordQuery(ReliabilityRecordKinds.Incident), cancellationToken))
            {
                var incident = IncidentRecord.FromRecord(record);
                byId[incident.Id] = incident;
            }
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var incident in _engine.Incidents.Incidents)
            {
                byId[incident.Id] = incident;
            }
        }
        finally
        {
            _gate.Release();
        }

        return [.. byId.Values.OrderBy(i => i.OpenedAt)];
    }

    /// <summary>The alerts the engine knows at <paramref name="now"/> (firing only unless <paramref name="includeEnded"/>), with their incident and whether they are muted.</summary>
    public async Task<IReadOnlyList<AlertView>> AlertsAsync(DateTimeOffset? now, bool includeEnded, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var at = Later(now ?? Now, _lastNow);
            return [.. _engine.Alerts
                .Where(a => includeEnded || !a.IsResolvedAt(at))
                .OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint)
                .Select(a => AlertView.Of(a, at, _engine.IncidentOf(a.Fingerprint), _engine.Pipeline.IsSilenced(a, at), _engine.Pipeline.IsInhibited(a, at)))];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every silence, active and expired.</summary>
    public async Task<IReadOnlyList<Silence>> SilencesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return [.. _engine.Pipeline.Silences.OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds a silence (or replaces one with the same id), persisted and audited before it mutes anything.</summary>
    /// <exception cref="ArgumentException">The silence is malformed (ends before it starts, would mute everything).</exception>
    public async Task<Silence> SilenceAsync(Silence silence, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silence);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var at = Later(Now, _lastNow);
            var before = _engine.Pipeline.Silences.FirstOrDefault(s => s.Id == silence.Id);
            var probe = new AlertPipeline(new NeoCloud.Reliability.Alerting.Route(ReliabilityDefaults.Receiver));
            probe.Silence(silence); // validates without touching the live pipeline
            await PersistSilenceAsync(silence, at, cancellationToken);
            _engine.Pipeline.Silence(silence);
            await AuditAsync(at, actor, "silence", SilenceRecords.IdPrefix + silence.Id, silence.Comment, before is null ? null : Describe(before), Describe(silence), cancellationToken);
            _logger.LogInformation("Silence {Silence} by {Actor} until {EndsAt}: {Matchers}", silence.Id, actor, silence.EndsAt, Describe(silence));
            return silence;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends a silence now; it stays listed as expired. False when there is no such silence.</summary>
    public async Task<bool> ExpireSilenceAsync(string id, Actor actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var at = Later(Now, _lastNow);
            var before = _engine.Pipeline.Silences.FirstOrDefault(s => s.Id == id);
            if (before is null)
            {
                return false;
            }

            var expired = before.ExpiredAt(at);
            await PersistSilenceAsync(expired, at, cancellationToken);
            _engine.Pipeline.ExpireSilence(id, at);
            await AuditAsync(at, actor, "silence.expire", SilenceRecords.IdPrefix + id, "expired by hand", Describe(before), Describe(expired), cancellationToken);
            _logger.LogInformation("Silence {Silence} expired by {Actor}", id, actor);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Incident> CommandAsync(
        string id, Actor actor, string action, string note, Func<IncidentTracker, DateTimeOffset, Incident> apply, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(actor);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = await FindAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"There is no incident {id}.");
            if (current.IsResolved)
            {
                // Let the incident itself say why: a resolved incident refuses every change.
                _ = current.Resolve(current.Timeline[^1].At, actor.ToString());
            }

            // Time never runs backwards in a timeline: the loop may have stamped a later instant than the clock reads now.
            var at = Later(Later(Now, _lastNow), current.Timeline[^1].At);
            var changed = apply(_engine.Incidents, at);
            if (ReferenceEquals(changed, current) || changed == current)
            {
                return changed;
            }

            await PersistAsync(changed, at, cancellationToken, person: (actor, action, note));
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Incident?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_engine.Incidents.Incidents.FirstOrDefault(i => i.Id == id) is { } live)
        {
            return live;
        }

        return _store is not null && await _store.GetAsync(ReliabilityRecordKinds.Incident, id, cancellationToken) is { } record
            ? IncidentRecord.FromRecord(record)
            : null;
    }

    /// <summary>
    /// Writes the incident's next version. Creates are idempotent and updates versioned; a conflict means another writer
    /// moved the record (a second controller, a retried write), so the stored version is read and this — the live state,
    /// which already holds every change applied through the gate — is written over it once more.
    /// </summary>
    private async Task PersistAsync(Incident incident, DateTimeOffset at, CancellationToken cancellationToken, (Actor Actor, string Action, string Note)? person = null)
    {
        var before = _statusOf.GetValueOrDefault(incident.Id);
        bool known = _statusOf.ContainsKey(incident.Id);
        if (_store is not null)
        {
            if (!_versions.TryGetValue(incident.Id, out long version))
            {
                var stored = await _store.CreateAsync(IncidentRecord.ToRecord(incident, 1), cancellationToken);
                _versions[incident.Id] = stored.Version;
                if (stored.Body != IncidentRecord.ToRecord(incident, 1).Body)
                {
                    await UpdateAsync(incident, stored.Version, at, cancellationToken);
                }
            }
            else
            {
                await UpdateAsync(incident, version, at, cancellationToken);
            }
        }

        _statusOf[incident.Id] = incident.Status;
        if (incident.IsResolved && before != IncidentStatus.Resolved)
        {
            _metrics.Resolved(incident);
        }

        if (person is { } p)
        {
            await AuditAsync(at, p.Actor, "incident." + p.Action, incident.Id, p.Note, Lower(before), Lower(incident.Status), cancellationToken);
            _logger.LogInformation("Incident {Incident} {Action} by {Actor}: {Status}", incident.Id, p.Action, p.Actor, incident.Status);
        }
        else if (!known || before != incident.Status)
        {
            var last = incident.Timeline[^1];
            var actor = Actor.Automation(last.Actor.StartsWith("automation:", StringComparison.Ordinal) ? last.Actor["automation:".Length..] : last.Actor);
            await AuditAsync(at, actor, "incident." + Lower(incident.Status), incident.Id, last.Note, known ? Lower(before) : null, Lower(incident.Status), cancellationToken);
            _logger.LogInformation("Incident {Incident} is {Status} ({Actor}: {Note})", incident.Id, incident.Status, last.Actor, last.Note);
        }
    }

    private async Task UpdateAsync(Incident incident, long version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _store!.UpdateAsync(IncidentRecord.ToRecord(incident, version + 1), cancellationToken);
            _versions[incident.Id] = stored.Version;
        }
        catch (ConcurrencyConflictException ex)
        {
            var current = await _store!.GetAsync(ReliabilityRecordKinds.Incident, incident.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Incident {incident.Id} vanished from the store while it was being updated.", ex);
            _logger.LogWarning("Incident {Incident} was at version {Stored} in the store, not {Expected}; writing over it", incident.Id, current.Version, version);
            var stored = await _store.UpdateAsync(IncidentRecord.ToRecord(incident, current.Version + 1), cancellationToken);
            _versions[incident.Id] = stored.Version;
        }
    }

    private async Task PersistSilenceAsync(Silence silence, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        string id = SilenceRecords.IdPrefix + silence.Id;
        var created = _silenceCreatedAt.GetValueOrDefault(silence.Id, at);
        if (!_versions.TryGetValue(id, out long version))
        {
            var stored = await _store.CreateAsync(SilenceRecords.ToRecord(silence, 1, created, at), cancellationToken);
            version = stored.Version;
            _silenceCreatedAt[silence.Id] = stored.CreatedAt;
            if (stored.Body == SilenceRecords.ToRecord(silence, 1, created, at).Body)
            {
                _versions[id] = version;
                return;
            }
        }

        var updated = await _store.UpdateAsync(SilenceRecords.ToRecord(silence, version + 1, created, at), cancellationToken);
        _versions[id] = updated.Version;
    }

    private List<PageDue> PagesDue(DateTimeOffset now)
    {
        var due = new List<PageDue>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incident in _engine.Incidents.Unresolved)
        {
            if (incident.Severity > IncidentSeverity.Sev2 || incident.Status != IncidentStatus.Open)
            {
                continue;
            }

            live.Add(incident.Id);
            (int Level, int Pass) key = (1, 1);
            IReadOnlyList<string> people = [];
            if (_schedule is not null)
            {
                var state = _schedule.Escalation(incident.OpenedAt, null, now);
                key = (state.Level, state.Pass);
                people = state.Page;
            }

            if (_paged.TryGetValue(incident.Id, out var paged) && paged == key)
            {
                continue;
            }

            _paged[incident.Id] = key;
            due.Add(new PageDue(incident, key.Level, key.Pass, people));
        }

        foreach (string id in _paged.Keys.Where(id => !live.Contains(id)).ToList())
        {
            _paged.Remove(id);
        }

        return due;
    }

    private async Task PageAsync(PageDue page, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var incident = page.Incident;
        string who = page.People.Count == 0 ? "the host's pager" : string.Join(", ", page.People);
        string summary = $"{incident.Id} ({IncidentRecord.SeverityName(incident.Severity)}) unacknowledged, escalation level {page.Level} pass {page.Pass}: paging {who}: {incident.Title}";
        _logger.LogWarning(
            "Paging {People} for incident {Incident} ({Severity}), escalation level {Level} pass {Pass}",
            who, incident.Id, IncidentRecord.SeverityName(incident.Severity), page.Level, page.Pass);
        try
        {
            await _pager.PageAsync(new OnCallPage(now, Severity.Critical, "reliability:" + incident.Id, summary), cancellationToken);
            _metrics.Paged(Math.Max(1, page.People.Count));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Paging for incident {Incident} failed; the next escalation level pages again", incident.Id);
        }
    }

    private async Task SendAsync(string receiver, WebhookMessage message, CancellationToken cancellationToken)
    {
        var notifier = _webhooks.First(w => w.Name == receiver).Notifier;
        try
        {
            var delivery = await notifier.SendAsync(message, cancellationToken);
            _metrics.Notified(receiver, delivery.Outcome);
            if (delivery.Outcome is DeliveryOutcome.Rejected or DeliveryOutcome.GaveUp)
            {
                _logger.LogError(
                    "Webhook {Receiver} did not take group {Group}: {Outcome} after {Attempts} attempts (last status {Status}, {Error})",
                    receiver, message.GroupKey, delivery.Outcome, delivery.Attempts, delivery.LastStatusCode, delivery.LastError);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _metrics.Notified(receiver, DeliveryOutcome.GaveUp);
            _logger.LogError(ex, "Webhook {Receiver} failed for group {Group}", receiver, message.GroupKey);
        }
    }

    /// <summary>The notification in the notifier's terms, each alert annotated with the incident it belongs to.</summary>
    private WebhookMessage MessageOf(Notification notification, string receiver)
    {
        WebhookAlert Convert(Alert alert, WebhookStatus status)
        {
            var annotations = new Dictionary<string, string>(alert.Annotations, StringComparer.Ordinal);
            if (_engine.IncidentOf(alert.Fingerprint) is { } incident)
            {
                annotations["neocloud_incident"] = incident;
            }

            return WebhookAlert.Create(status, alert.Labels, annotations, alert.StartsAt, alert.EndsAt);
        }

        return new WebhookMessage(
            notification.GroupKey,
            receiver,
            notification.GroupLabels,
            [.. notification.Firing.Select(a => Convert(a, WebhookStatus.Firing)), .. notification.Resolved.Select(a => Convert(a, WebhookStatus.Resolved))]);
    }

    private async Task AuditAsync(DateTimeOffset at, Actor actor, string action, string target, string reason, string? before, string? after, CancellationToken cancellationToken)
    {
        try
        {
            await _audit.RecordAsync(new AuditEntry(at, actor, AuditPrefix + action, target, reason, before, after), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is already stored; losing its audit line is logged loudly rather than undoing the change.
            _logger.LogError(ex, "Could not audit {Action} on {Target} by {Actor}", action, target, actor);
        }
    }

    private async IAsyncEnumerable<StoredRecord> AllAsync(RecordQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await _store!.ListAsync(query with { Limit = 500, Cursor = cursor }, cancellationToken);
            foreach (var record in page.Items)
            {
                yield return record;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private static string Describe(Silence silence) =>
        $"{{{string.Join(", ", silence.Matchers)}}} {silence.StartsAt:O}..{silence.EndsAt:O}";

    private static string Lower(IncidentStatus status) => status.ToString().ToLowerInvariant();

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed record PageDue(Incident Incident, int Level, int Pass, IReadOnlyList<string> People);
}
