using System.Collections.Immutable;
using System.Diagnostics;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;
using NeoCloud.Reliability.Sources;
using NeoCloud.Reliability.Store;
using Prometheus;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>
/// The region's SLOs: the declared catalogue (built in, from files, through the API), the <see cref="SloBook"/> that counts
/// their events and evaluates them, the error-budget policies, and the burn-rate alerts the reliability loop picks up.
/// Built-in SLI events reach it as an <see cref="ISliSink"/> and are stamped on its clock when they arrive (the clock the
/// alerts and incidents use), so events from the API and from the twin's jobs share one timeline.
/// </summary>
public sealed class SloRuntime : ISliSink, IAlertSource
{
    private const int MaxManifestBytes = 256 * 1024;

    private readonly SloBook _book;
    private readonly IReliabilityStore _store;
    private readonly IAuditTrail _audit;
    private readonly TimeProvider _clock;
    private readonly SloOptions _options;
    private readonly PrometheusSliSource? _prometheus;
    private readonly ILogger<SloRuntime> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Gauge _budgetRemaining;
    private readonly Gauge _burnRate;
    private readonly Gauge _firing;
    private readonly Histogram _evaluationSeconds;
    private readonly Counter _readErrors;

    private ImmutableSortedDictionary<string, DeclaredSlo> _declared = ImmutableSortedDictionary.Create<string, DeclaredSlo>(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, (ErrorBudgetPolicy Policy, string Source)> _policies = ImmutableSortedDictionary.Create<string, (ErrorBudgetPolicy, string)>(StringComparer.Ordinal);
    private IReadOnlyList<SloStatus> _latest = [];

    public SloRuntime(IReliabilityStore store, IAuditTrail audit, TimeProvider clock, SloOptions options, Observability.FleetMetrics metrics, HttpClient? prometheusClient, ILogger<SloRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _audit = audit;
        _clock = clock;
        _options = options;
        _logger = logger;
        _book = new SloBook(options.Bucket);
        _prometheus = options.PrometheusUrl is { } url && prometheusClient is not null ? new PrometheusSliSource(prometheusClient, url) : null;
        _budgetRemaining = metrics.Factory.CreateGauge(
            "neocloud_slo_error_budget_remaining_ratio", "Share of the error budget left over the SLO's period, per objective.",
            new GaugeConfiguration { LabelNames = ["neocloud_slo", "neocloud_objective"] });
        _burnRate = metrics.Factory.CreateGauge(
            "neocloud_slo_burn_rate", "How fast the error budget burns (1 = spent exactly over the period), per objective and window.",
            new GaugeConfiguration { LabelNames = ["neocloud_slo", "neocloud_objective", "window"] });
        _firing = metrics.Factory.CreateGauge(
            "neocloud_slo_alerts_firing", "Burn-rate alerts firing, by severity.", new GaugeConfiguration { LabelNames = ["severity"] });
        _evaluationSeconds = metrics.Factory.CreateHistogram(
            "neocloud_slo_evaluation_seconds", "Time to evaluate every SLO once (and read Prometheus SLIs).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
        _readErrors = metrics.Factory.CreateCounter(
            "neocloud_slo_sli_read_errors_total", "Failed reads of Prometheus SLIs, per SLO.", new CounterConfiguration { LabelNames = ["neocloud_slo"] });
    }

    public TimeSpan Bucket => _book.Bucket;

    /// <summary>The declared SLOs by name.</summary>
    public IReadOnlyDictionary<string, DeclaredSlo> Declared => _declared;

    /// <summary>The declared error-budget policies by name (the default applies where none names a service).</summary>
    public IEnumerable<ErrorBudgetPolicy> Policies => _policies.Values.Select(p => p.Policy);

    /// <summary>The statuses of the last evaluation, one per objective.</summary>
    public IReadOnlyList<SloStatus> Latest => _latest;

    /// <summary>Reads the built-in catalogue, the files under <see cref="SloOptions.Path"/> and the manifests declared through the API, in that order (later wins).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_options.BuiltInCatalogue)
        {
            foreach (var slo in SloManifestReader.Parse(BuiltInCatalogue.Read()))
            {
                Declare(slo, "built-in");
            }
        }

        if (!string.IsNullOrWhiteSpace(_options.Path))
        {
            // A broken file stops the host with its line and column rather than leaving an SLO silently undeclared.
            foreach (string file in Directory.EnumerateFiles(_options.Path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                string text = await File.ReadAllTextAsync(file, cancellationToken);
                if (IsPolicy(text))
                {
                    var policy = ErrorBudgetPolicyReader.Parse(text);
                    _policies = _policies.SetItem(policy.Name, (policy, file));
                }
                else
                {
                    foreach (var slo in SloManifestReader.Parse(text))
                    {
                        Declare(slo, file);
                    }
                }
            }
        }

        string? cursor = null;
        do
        {
            var page = await _store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Manifest, Limit: 500, Cursor: cursor), cancellationToken);
            foreach (var record in page.Items)
            {
                if (record.Id.StartsWith(SloRecords.SloPrefix, StringComparison.Ordinal))
                {
                    foreach (var slo in SloManifestReader.Parse(record.Body))
                    {
                        Declare(slo, "api");
                    }
                }
                else if (record.Id.StartsWith(SloRecords.PolicyPrefix, StringComparison.Ordinal))
                {
                    var policy = ErrorBudgetPolicyReader.Parse(record.Body);
                    _policies = _policies.SetItem(policy.Name, (policy, "api"));
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        _logger.LogInformation("SLOs declared: {Count} ({Names}); error-budget policies: {Policies}", _declared.Count, string.Join(", ", _declared.Keys), _policies.Count);
    }

    /// <summary>
    /// Declares or replaces one SLO from its manifest (one <c>kind: SLO</c> document), stores the manifest and audits the
    /// change. Putting the same manifest again changes nothing. Returns the SLO and whether it is new.
    /// </summary>
    public async Task<(DeclaredSlo Slo, bool Created)> PutAsync(string manifest, string? name, Actor actor, CancellationToken cancellationToken)
    {
        if (manifest.Length > MaxManifestBytes)
        {
            throw new ArgumentException($"the manifest is larger than {MaxManifestBytes} bytes", "body");
        }

        var slos = SloManifestReader.Parse(manifest);
        if (slos.Count != 1)
        {
            throw new ArgumentException($"put one SLO per request; the manifest declares {slos.Count}", "body");
        }

        var slo = slos[0];
        if (name is not null && slo.Name != name)
        {
            throw new ArgumentException($"the manifest names SLO '{slo.Name}' but was put at '{name}'", "metadata.name");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            string id = SloRecords.SloId(slo.Name);
            var now = _clock.GetUtcNow();
            var existing = await _store.GetAsync(ReliabilityRecordKinds.Manifest, id, cancellationToken);
            if (existing?.Body == manifest && _declared.TryGetValue(slo.Name, out var same))
            {
                return (same, false);
            }

            if (existing is null)
            {
                var created = await _store.CreateAsync(SloRecords.New(id, "SLO", manifest, now), cancellationToken);
                if (created.Body != manifest)
                {
                    throw new Kernel.Persistence.ConcurrencyConflictException($"SLO '{slo.Name}' was declared by someone else at the same time; read it and retry");
                }
            }
            else
            {
                await _store.UpdateAsync(existing with { Version = existing.Version + 1, UpdatedAt = now, Body = manifest }, cancellationToken);
            }

            var before = _declared.GetValueOrDefault(slo.Name);
            var declared = Declare(slo, "api");
            await _audit.RecordAsync(
                new AuditEntry(now, actor, before is null ? "slo.create" : "slo.update", $"slo/{slo.Name}", "declared through the API", before is null ? null : Describe(before.Spec), Describe(slo)),
                cancellationToken);
            bool isNew = before is null;
            return (declared, isNew);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Declares or replaces an error-budget policy from its manifest (<c>kind: ErrorBudgetPolicy</c>), stores it and
    /// audits the change; the same manifest again changes nothing. Returns the policy and whether it is new.
    /// </summary>
    public async Task<(ErrorBudgetPolicy Policy, bool Created)> PutPolicyAsync(string manifest, Actor actor, CancellationToken cancellationToken)
    {
        if (manifest.Length > MaxManifestBytes)
        {
            throw new ArgumentException($"the manifest is larger than {MaxManifestBytes} bytes", "body");
        }

        var policy = ErrorBudgetPolicyReader.Parse(manifest);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            string id = SloRecords.PolicyPrefix + policy.Name;
            var now = _clock.GetUtcNow();
            var existing = await _store.GetAsync(ReliabilityRecordKinds.Manifest, id, cancellationToken);
            if (existing?.Body == manifest && _policies.ContainsKey(policy.Name))
            {
                return (_policies[policy.Name].Policy, false);
            }

            if (existing is null)
            {
                var created = await _store.CreateAsync(SloRecords.New(id, ErrorBudgetPolicy.Kind, manifest, now), cancellationToken);
                if (created.Body != manifest)
                {
                    throw new Kernel.Persistence.ConcurrencyConflictException($"error-budget policy '{policy.Name}' was declared by someone else at the same time; read it and retry");
                }
            }
            else
            {
                await _store.UpdateAsync(existing with { Version = existing.Version + 1, UpdatedAt = now, Body = manifest }, cancellationToken);
            }

            bool isNew = !_policies.ContainsKey(policy.Name);
            _policies = _policies.SetItem(policy.Name, (policy, "api"));
            string rules = string.Join(", ", policy.Rules.Select(r => $"under {r.Below:P0} {r.Verdict}"));
            await _audit.RecordAsync(
                new AuditEntry(now, actor, isNew ? "error-budget-policy.create" : "error-budget-policy.update", $"error-budget-policy/{policy.Name}", "declared through the API", null,
                    $"{(policy.Services.Count == 0 ? "every service" : string.Join(", ", policy.Services))}: {rules}"),
                cancellationToken);
            return (policy, isNew);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Withdraws an SLO declared through the API; its events are dropped and its alerts end at the next step.</summary>
    public async Task<bool> DeleteAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_declared.TryGetValue(name, out var declared))
            {
                return false;
            }

            if (declared.Source != "api")
            {
                throw new InvalidOperationException($"SLO '{name}' is declared {(declared.Source == "built-in" ? "by NeoCloud itself (NeoCloud:Slos:BuiltInCatalogue)" : "in " + declared.Source)}; withdraw it there");
            }

            await _store.DeleteAsync(ReliabilityRecordKinds.Manifest, SloRecords.SloId(name), cancellationToken);
            _book.Remove(name);
            _declared = _declared.Remove(name);
            _latest = [.. _latest.Where(s => s.Slo != name)];
            await _audit.RecordAsync(new AuditEntry(_clock.GetUtcNow(), actor, "slo.delete", $"slo/{name}", "withdrawn through the API", Describe(declared.Spec), null), cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads Prometheus SLIs for the bucket that just closed, evaluates every SLO and publishes the figures.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = _clock.GetUtcNow();
        if (_prometheus is not null)
        {
            foreach (var reading in await _prometheus.PollAsync(_book, now, cancellationToken))
            {
                if (!reading.Succeeded)
                {
                    _readErrors.WithLabels(reading.Slo).Inc();
                    _logger.LogWarning("SLO {Slo}: reading its SLI from Prometheus failed: {Error}", reading.Slo, reading.Error);
                }
            }
        }

        var statuses = _book.Evaluate(now);
        _latest = statuses;
        foreach (var status in statuses)
        {
            _budgetRemaining.WithLabels(status.Slo, status.Objective).Set(status.BudgetRemaining);
            _burnRate.WithLabels(status.Slo, status.Objective, "1h").Set(Finite(status.BurnRate1h));
            _burnRate.WithLabels(status.Slo, status.Objective, "6h").Set(Finite(status.BurnRate6h));
        }

        _firing.WithLabels("page").Set(statuses.Count(s => s.Severity == AlertSeverity.Page));
        _firing.WithLabels("ticket").Set(statuses.Count(s => s.Severity == AlertSeverity.Ticket));
        _evaluationSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>What the error-budget policy says about changes to <paramref name="service"/>, from the last evaluation.</summary>
    public BudgetDecision Decide(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return ErrorBudgetPolicy.For(Policies, service).Consult(service, _latest);
    }

    public IReadOnlyList<SloStatus> StatusesOf(string name) => [.. _latest.Where(s => s.Slo == name)];

    /// <inheritdoc />
    public void Record(string sli, string? tenant, DateTimeOffset at, long good, long total) =>
        _book.RecordBuiltIn(sli, tenant, _clock.GetUtcNow(), good, total);

    /// <inheritdoc />
    public void RecordLatency(string sli, string? tenant, DateTimeOffset at, TimeSpan latency) =>
        _book.RecordLatency(sli, tenant, _clock.GetUtcNow(), latency);

    /// <inheritdoc />
    public IReadOnlyCollection<TimeSpan> LatencyThresholds(string sli) =>
        [.. _declared.Values.Where(d => d.Spec.Indicator.BuiltIn == sli).Select(d => d.Spec.Indicator.LatencyThreshold).OfType<TimeSpan>().Distinct()];

    /// <inheritdoc />
    public IReadOnlyList<Alert> Alerts(DateTimeOffset now) => [.. _latest.Where(s => s.Firing.Count > 0).SelectMany(SloAlerts.Of)];

    private DeclaredSlo Declare(SloSpec slo, string source)
    {
        _book.Upsert(slo);
        var declared = new DeclaredSlo(slo, source);
        _declared = _declared.SetItem(slo.Name, declared);
        return declared;
    }

    private static bool IsPolicy(string text) =>
        text.Split('\n').Any(line => line.TrimEnd() is "kind: ErrorBudgetPolicy" or "kind: \"ErrorBudgetPolicy\"");

    private static string Describe(SloSpec slo) =>
        $"{slo.Service}/{slo.Name}: {string.Join(", ", slo.Objectives.Select(o => $"{o.Name} {o.Target:P3}"))} over {slo.TimeWindow.Duration.TotalDays:0.#} days";

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
