using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Workloads.Tests.Control;

/// <summary>The job half of an <see cref="IWorkloadStore"/> in a dictionary, enough for the controller's eviction tests; declarations are not kept.</summary>
internal sealed class JobStoreFake : IWorkloadStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly List<JobEvent> _events = [];

    public Task<SubmitResult> SubmitAsync(Job job, JobEvent submitted, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _jobs.Add(job.Id.Value, job);
            _events.Add(submitted with { Sequence = _events.Count + 1 });
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
        lock (_gate)
        {
            var items = _jobs.Values.Where(j => query.States is not { Count: > 0 } || query.States.Contains(j.State)).ToList();
            return Task.FromResult(new Page<Job>(items, null));
        }
    }

    public Task<JobChange> TransitionAsync(JobId id, long expectedVersion, JobTransition transition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _jobs.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No job '{id}'.");
            if (current.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException($"Job {id} is at version {current.Version}, not {expectedVersion}.");
            }

            var (next, e) = JobMachine.Apply(current, transition);
            var stored = e with { Sequence = _events.Count + 1 };
            _events.Add(stored);
            _jobs[id.Value] = next;
            return Task.FromResult(new JobChange(next, stored));
        }
    }

    public Task<Job> RecordCheckpointAsync(JobId id, int attempt, TimeSpan progress, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var next = JobMachine.RecordCheckpoint(_jobs[id.Value], attempt, progress, at);
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
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobEvent>>([.. _events.Where(e => e.Sequence > afterSequence).Take(limit)]);
        }
    }

    public Task<Declaration> UpsertDeclarationAsync(
        DeclarationKind kind, string name, TenantId? tenant, string text, long expectedVersion, DateTimeOffset at, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The eviction tests declare queues on the controller directly.");

    public Task<Declaration?> GetDeclarationAsync(DeclarationKind kind, string name, CancellationToken cancellationToken) => Task.FromResult<Declaration?>(null);

    public Task<IReadOnlyList<Declaration>> ListDeclarationsAsync(DeclarationKind? kind, TenantId? tenant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Declaration>>([]);

    public Task<bool> DeleteDeclarationAsync(DeclarationKind kind, string name, long expectedVersion, CancellationToken cancellationToken) => Task.FromResult(false);
}
