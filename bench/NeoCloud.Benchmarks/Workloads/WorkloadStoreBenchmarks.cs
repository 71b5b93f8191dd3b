using BenchmarkDotNet.Attributes;
using NeoCloud.Kernel.Ids;
using NeoCloud.Storage;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Benchmarks.Workloads;

/// <summary>
/// One job's whole life in the state of record: submit, then admitted, placed, running, succeeded (five committed
/// transactions, each a state change and its event). SQLite in a temp directory always; PostgreSQL too when
/// <c>NEOCLOUD_TEST_PG</c> names a server.
/// </summary>
public class WorkloadStoreBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<ReplicaPlacement> Placement = [new(new NodeId("n1"), [0, 1, 2, 3, 4, 5, 6, 7], 1000)];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "neocloud-bench-" + Guid.NewGuid().ToString("N"));
    private NeoCloudStores? _stores;
    private JobSpec? _spec;
    private long _next;

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "sqlite";

    public static IEnumerable<string> Backends() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("NEOCLOUD_TEST_PG")) ? ["sqlite"] : ["sqlite", "postgres"];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _spec = WorkloadSpecReader.ParseJob("""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: train, tenant: acme }
            spec:
              queue: acme-training
              resources: { gpus: 8, cpu: 96, memory: 1024 }
            """);
        _stores = await StoreFactory.OpenAsync(Backend == "postgres" ? Environment.GetEnvironmentVariable("NEOCLOUD_TEST_PG")! : _directory, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark]
    public async Task<long> SubmitAndRunToSuccess()
    {
        var store = _stores!.Workloads;
        var id = new JobId($"job-bench-{Guid.NewGuid():N}-{Interlocked.Increment(ref _next)}");
        var (job, submitted) = Job.Submit(id, _spec!, "automation:bench", T0);
        job = (await store.SubmitAsync(job, submitted, CancellationToken.None)).Job;
        foreach (var (to, placement) in new[] { (JobState.Admitted, null), (JobState.Placed, Placement), (JobState.Running, null), (JobState.Succeeded, (IReadOnlyList<ReplicaPlacement>?)null) })
        {
            job = (await store.TransitionAsync(job.Id, job.Version, new JobTransition(to, "bench", "automation:bench", T0, placement), CancellationToken.None)).Job;
        }

        return job.Version;
    }
}
