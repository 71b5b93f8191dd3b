using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Tests.Jobs;

/// <summary>Jobs and transitions for lifecycle tests.</summary>
internal static class TestJobs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<ReplicaPlacement> TwoNodes =
        [new(new NodeId("n1"), [0, 1, 2, 3, 4, 5, 6, 7], 1000), new(new NodeId("n2"), [0, 1, 2, 3, 4, 5, 6, 7], 1000)];

    public static JobSpec Spec(int retryBudget = 2) => WorkloadSpecReader.ParseJob($"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: {"{"} name: train, tenant: acme {"}"}
        spec:
          queue: acme-training
          replicas: 2
          retryBudget: {retryBudget}
          resources: {"{"} gpus: 8, cpu: 32, memory: 256 {"}"}
        """);

    public static Job Pending(int retryBudget = 2) => Job.Submit(new JobId("job-1"), Spec(retryBudget), "person:ana", T0).Job;

    public static JobTransition To(JobState state, int minute = 1) => new(
        state, "because", "agent:scheduler", T0.AddMinutes(minute), state == JobState.Placed ? TwoNodes : null);
}
