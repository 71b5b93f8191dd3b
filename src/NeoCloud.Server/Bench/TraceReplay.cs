using System.Globalization;
using System.Text;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Simulator.Execution;
using NeoCloud.Simulator.Replay;
using NeoCloud.Simulator.Twin;
using NeoCloud.Storage;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Placement;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Bench;

/// <summary>
/// Replays a job trace on the twin through the real job flow — spec reader, store, controller, scheduler, placer, twin
/// executor — in virtual time, and measures what users feel: job completion time, queueing delay, utilisation and
/// makespan. Run once per policy on the same trace and fleet to compare them.
/// </summary>
public static class TraceReplay
{
    /// <summary>One policy's run over a trace.</summary>
    public sealed record Result(
        string Policy,
        int Jobs,
        int Completed,
        int Failed,
        int Preempted,
        IReadOnlyDictionary<string, int> PreemptionsByReason,
        IReadOnlyDictionary<string, int> FailuresByReason,
        double MeanJctSeconds,
        double P99JctSeconds,
        double MeanWaitSeconds,
        double P99WaitSeconds,
        double Utilisation,
        double MakespanHours,
        double WallSeconds);

    /// <summary>
    /// Runs every job of <paramref name="jobs"/> on a fresh twin of <paramref name="fleet"/> under <paramref name="options"/>;
    /// each trace queue becomes a queue of the same name with a nominal quota of its share of the GPUs (given by
    /// <paramref name="queueNodes"/>), all in one cohort that lends idle quota. Stops when every job has ended or at
    /// <paramref name="horizon"/>.
    /// </summary>
    public static async Task<Result> RunAsync(
        FleetTopology fleet, IReadOnlyList<TraceJob> jobs, IReadOnlyList<(string Name, int Nodes)> queueNodes, SchedulerOptions options,
        int seed, TimeSpan horizon, string dataDirectory, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var twin = new FleetTwin(fleet, seed, new SimulationOptions { SyntheticLoad = false, RandomFaults = false, MaxDegreeOfParallelism = 1 });
        var placer = new TopologyGangPlacer(new ClusterTopology(FleetPlacementView.Nodes(fleet)));
        var scheduler = new ClusterScheduler(placer, options);
        var executor = new TwinExecutor(twin);
        await using var stores = await StoreFactory.OpenAsync(dataDirectory, cancellationToken);
        using var metrics = new WorkloadMetrics();
        var controller = new JobController(stores.Workloads, executor, scheduler, placer, twin.Clock, metrics);
        await controller.ApplyAsync(QueueManifestReader.Parse(Queues(fleet, queueNodes)), cancellationToken);

        var origin = twin.Now;
        var ids = new List<JobId>(jobs.Count);
        int next = 0, preempted = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        double allocatedMilliSeconds = 0;
        var tick = twin.Options.Tick;
        while (twin.Now - origin < horizon)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (next < jobs.Count && origin + jobs[next].Arrival <= twin.Now)
            {
                var result = await controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest(jobs[next], fleet)), "person:trace", cancellationToken);
                ids.Add(result.Job.Id);
                next++;
            }

            // As the host's scheduling loop does: placement learns the submitted shapes, then a cycle.
            await controller.RefreshPlacementScorerAsync(200, cancellationToken);
            var cycle = await controller.RunCycleAsync(cancellationToken);
            preempted += cycle.Preemptions.Count;
            foreach (var p in cycle.Preemptions)
            {
                reasons[p.Reason.ToString()] = reasons.GetValueOrDefault(p.Reason.ToString()) + 1;
            }
            twin.Tick();
            await executor.FlushAsync(cancellationToken);
            allocatedMilliSeconds += placer.Snapshot.GpuAllocatedMilli * tick.TotalSeconds;
            if (next == jobs.Count && controller.Active == 0)
            {
                break;
            }
        }

        var makespan = twin.Now - origin;
        int failed = 0;
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var jct = new List<double>(ids.Count);
        var wait = new List<double>(ids.Count);
        foreach (var id in ids)
        {
            var job = await stores.Workloads.GetAsync(id, cancellationToken);
            if (job is { State: JobState.Failed })
            {
                failed++;
                failures[job.LastReason] = failures.GetValueOrDefault(job.LastReason) + 1;
            }

            if (job is { State: JobState.Succeeded, StartedAt: { } start, FinishedAt: { } end })
            {
                jct.Add((end - job.SubmittedAt).TotalSeconds);
                wait.Add((start - job.SubmittedAt).TotalSeconds);
            }
        }

        return new Result(
            options.Policy.ToString().ToLowerInvariant(), jobs.Count, jct.Count, failed, preempted, reasons, failures,
            Mean(jct), Percentile(jct, 0.99), Mean(wait), Percentile(wait, 0.99),
            makespan <= TimeSpan.Zero ? 0 : allocatedMilliSeconds / (placer.Snapshot.GpuCapacityMilli * makespan.TotalSeconds),
            makespan.TotalHours, started.Elapsed.TotalSeconds);
    }

    /// <summary>The cohort and queues of a replay: each trace queue's nominal quota is its nodes' share of every GPU model.</summary>
    public static string Queues(FleetTopology fleet, IReadOnlyList<(string Name, int Nodes)> queueNodes)
    {
        var perModel = fleet.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(n => n.GpuCount), StringComparer.Ordinal);
        double totalNodes = queueNodes.Sum(q => q.Nodes);
        var text = new StringBuilder("apiVersion: neocloud.dev/v1\nkind: Cohort\nmetadata: { name: replay }\n");
        foreach (var (name, nodes) in queueNodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"---\napiVersion: neocloud.dev/v1\nkind: Queue\nmetadata: {{ name: {name.ToLowerInvariant()} }}\nspec:\n  tenant: {name.ToLowerInvariant()}\n  cohort: replay\n  quotas:\n");
            foreach (var (model, gpus) in perModel.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"    - {{ flavour: {model}, nominal: {Math.Round(gpus * nodes / totalNodes, 2)} }}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>A trace job as a job manifest: whole nodes for eight GPUs or more, else one replica; the twin runs the trace's runtime.</summary>
    public static string Manifest(TraceJob job, FleetTopology fleet)
    {
        int perNode = fleet.Nodes.Count == 0 ? 8 : fleet.Nodes.Max(n => n.GpuCount);
        int replicas = job.Gpus > perNode ? (job.Gpus + perNode - 1) / perNode : 1;
        int gpus = job.Gpus > perNode ? perNode : job.Gpus;
        string topology = replicas > 1 ? "\n  topology: { leaf: preferred }" : "";

        // Users ask for more time than they use; the estimate is the runtime rounded up to the next quarter hour, the limit
        // twice it. Jobs checkpoint every 30 minutes, as long training jobs do, so a preemption costs at most that much work.
        var estimate = TimeSpan.FromMinutes(Math.Ceiling(job.Runtime.TotalMinutes / 15) * 15);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: {{job.Id}}, tenant: {{job.Queue.ToLowerInvariant()}} }
            spec:
              queue: {{job.Queue.ToLowerInvariant()}}
              replicas: {{replicas}}
              resources: { gpus: {{gpus}}, cpu: {{gpus * 8}}, memory: {{gpus * 64}} }{{topology}}
              runtimeEstimate: {{(long)estimate.TotalSeconds}}s
              runtimeLimit: {{(long)(estimate.TotalSeconds * 2)}}s
              checkpointInterval: 30m
              retryBudget: 10
              run:
                image: trace/replay
                env: { "{{JobController.WorkHintKey}}": "{{job.Runtime:c}}" }
            """);
    }

    private static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
    }
}
