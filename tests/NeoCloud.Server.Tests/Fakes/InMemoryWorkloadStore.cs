using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>An <see cref="IWorkloadStore"/> in dictionaries behind one lock, for tests of other contexts; it passes the same compliance suite as the SQL stores.</summary>
public sealed class InMemoryWorkloadStore : IWorkloadStore
{
    private const int MaxLimit = 1000;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tenant, string Key), string> _keys = [];
    private readonly List<JobEvent> _events = [];
    private readonly SortedDictionary<(DeclarationKind Kind, string Name), Declaration> _declarations = [];

    public Task<SubmitResult> SubmitAsync(Job job, JobEvent submitted, CancellationToken cancellationToken)
    {
        CheckNew(job, submitted);
        job = Normalize(job);
        lock (_gate)
        {
            if (job.IdempotencyKey is { } key && _keys.TryGetValue((job.Tenant.Value, key), out string? existingId))
            {
                var existing = _jobs[existingId];
                return existing.SpecJson == job.SpecJson
                    ? Task.FromResult(new SubmitResult(existing, false))
                    : throw new IdempotencyConflictException(job.Tenant, key, existing.Id);
            }

            if (_jobs.ContainsKey(job.Id.Value))
            {
                throw new InvalidOperationException($"A job with id {job.Id} already exists.");
            }

            // The event first: when it fails, nothing else was written (as a rolled-back transaction leaves it).
            Append(submitted);
            _jobs.Add(job.Id.Value, job);
            if (job.IdempotencyKey is { } newKey)
            {
                _keys[(job.Tenant.Value, newKey)] = job.Id.Value;
            }

            return Task.FromResult(new SubmitResult(job, true));
        }
    }

    public Task<Job?> GetAsync(JobId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_jobs.GetValueOrDefault(id.Value));
        }
    }

    public Task<Page<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        if (!Cursor.TryDecode(query.Cursor, out string? after) || (query.Cursor is { Length: > 0 } && string.IsNullOrEmpty(after)))
        {
            throw new ArgumentException($"'{query.Cursor}' is not a cursor this listing gave out.", nameof(query));
        }

        int limit = Math.Clamp(query.Limit, 1, MaxLimit);
        lock (_gate)
        {
            var items = _jobs.Values
                .Where(j => (after is null || string.CompareOrdinal(j.Id.Value, after) > 0)
                    && (query.Tenant is null || j.Tenant == query.Tenant)
                    && (query.Queue is null || j.Queue == query.Queue)
                    && (query.States is not { Count: > 0 } || query.States.Contains(j.State))
                    && (query.Name is null || j.Name == query.Name))
                .Take(limit + 1)
                .ToList();
            if (items.Count <= limit)
            {
                return Task.FromResult(new Page<Job>(items, null));
            }

            items.RemoveAt(limit);
            return Task.FromResult(new Page<Job>(items, Cursor.Encode(items[^1].Id.Value)));
        }
    }

    public Task<JobChange> TransitionAsync(JobId id, long expectedVersion, JobTransition transition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _jobs.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No job '{id}'.");
            if (current.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException(
                    $"Job {id} is at version {current.Version} ({current.State}), not {expectedVersion}: it changed since it was read; read it again and retry.");
            }

            var (applied, e) = JobMachine.Apply(current, transition);
            var next = Normalize(applied);
            var stored = Append(e);
            _jobs[id.Value] = next;
            return Task.FromResult(new JobChange(next, stored));
        }
    }

    public Task<Job> RecordCheckpointAsync(JobId id, int attempt, TimeSpan progress, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _jobs.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No job '{id}'.");
            var next = Normalize(JobMachine.RecordCheckpoint(current, attempt, progress, at));
            _jobs[id.Value] = next;
            return Task.FromResult(next);
        }
    }

    public Task<IReadOnlyList<JobEvent>> ListEventsAsync(JobId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobEvent>>([.. _events.Where(e => e.Job == id)]);
        }
    }

    public Task<IReadOnlyList<JobEvent>> ListEventsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobEvent>>([.. _events.Where(e => e.Sequence > afterSequence).Take(limit)]);
        }
    }

    public Task<Declaration> UpsertDeclarationAsync(
        DeclarationKind kind, string name, TenantId? tenant, string text, long expectedVersion, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        lock (_gate)
        {
            long current = _declarations.GetValueOrDefault((kind, name))?.Version ?? 0;
            if (current != expectedVersion)
            {
                throw new ConcurrencyConflictException(
                    $"{kind} '{name}' is at version {current} (0: it does not exist), not {expectedVersion}; read it again and retry.");
            }

            var declaration = new Declaration(kind, name, tenant, text, current + 1, Normalize(at));
            _declarations[(kind, name)] = declaration;
            return Task.FromResult(declaration);
        }
    }

    public Task<Declaration?> GetDeclarationAsync(DeclarationKind kind, string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_declarations.GetValueOrDefault((kind, name)));
        }
    }

    public Task<IReadOnlyList<Declaration>> ListDeclarationsAsync(DeclarationKind? kind, TenantId? tenant, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Declaration>>(
                [.. _declarations.Values.Where(d => (kind is null || d.Kind == kind) && (tenant is null || d.Tenant == tenant))]);
        }
    }

    public Task<bool> DeleteDeclarationAsync(DeclarationKind kind, string name, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_declarations.TryGetValue((kind, name), out var current))
            {
                return Task.FromResult(false);
            }

            if (current.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException($"{kind} '{name}' is at version {current.Version}, not {expectedVersion}; read it again and retry.");
            }

            return Task.FromResult(_declarations.Remove((kind, name)));
        }
    }

    /// <summary>The checks every store makes on a submission: a fresh pending job and its own submission event.</summary>
    internal static void CheckNew(Job job, JobEvent submitted)
    {
        if (job.State != JobState.Pending || job.Version != 1 || submitted.Job != job.Id || submitted.From is not null || submitted.To != JobState.Pending)
        {
            throw new ArgumentException($"Job {job.Id} is not a fresh submission (Job.Submit makes one): it is {job.State} at version {job.Version}.", nameof(job));
        }
    }

    /// <summary>Makes every later append to the event log fail, as a broken database would, to show nothing is half written.</summary>
    public bool BreakEventLog { get; set; }

    private JobEvent Append(JobEvent e)
    {
        if (BreakEventLog)
        {
            throw new InvalidOperationException("The event log is broken (InMemoryWorkloadStore.BreakEventLog).");
        }

        var stored = e with { Sequence = _events.Count + 1, At = Normalize(e.At) };
        _events.Add(stored);
        return stored;
    }

    // The SQL stores keep instants to the microsecond, in UTC; so does this one, so the compliance suite holds for it too.
    private static DateTimeOffset Normalize(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    private static DateTimeOffset? Normalize(DateTimeOffset? at) => at is { } value ? Normalize(value) : null;

    private static Job Normalize(Job job) => job with
    {
        SubmittedAt = Normalize(job.SubmittedAt),
        StartedAt = Normalize(job.StartedAt),
        FinishedAt = Normalize(job.FinishedAt),
        CheckpointAt = Normalize(job.CheckpointAt),
    };
}
