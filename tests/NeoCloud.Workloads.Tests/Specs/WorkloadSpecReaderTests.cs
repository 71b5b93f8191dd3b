using NeoCloud.Kernel.Manifests;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Tests.Specs;

public sealed class WorkloadSpecReaderTests
{
    private const string Training = """
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata:
          name: llama-pretrain
          tenant: acme
        spec:
          queue: acme-training
          replicas: 8
          resources:
            gpus: 8
            gpuTypes: [H100-SXM5, h200]
            cpu: 96
            memory: 1024
          topology:
            nvlinkDomain: preferred
            leaf: required
          priorityClass: high
          runtimeLimit: 48h
          runtimeEstimate: 36h
          checkpointInterval: 30m
          retryBudget: 5
          idempotencyKey: run-2026-11-23
          run:
            image: registry.example/llama:3
            command: [torchrun, train.py]
            args: ["--steps", "100000"]
        """;

    [Fact]
    public void A_training_job_is_read_with_every_field()
    {
        var job = WorkloadSpecReader.ParseJob(Training);

        Assert.Equal(("llama-pretrain", "acme", "acme-training", 8), (job.Name, job.Tenant.Value, job.Queue.Value, job.Replicas));
        Assert.Equal((8, 1000, 96_000, 1024 * 1024), (job.Resources.GpuCount, job.Resources.GpuMilli, job.Resources.CpuMilli, job.Resources.MemoryMib));
        Assert.Equal(["h100-sxm5-80gb", "h200-141gb"], job.Resources.GpuTypes);
        Assert.Equal(
            [new TopologyRequirement(TopologyLevel.NvlinkDomain, TopologyMode.Preferred), new TopologyRequirement(TopologyLevel.Leaf, TopologyMode.Required)],
            job.Topology);
        Assert.Same(PriorityClasses.High, job.PriorityClass);
        Assert.Equal((TimeSpan.FromHours(48), TimeSpan.FromHours(36), TimeSpan.FromMinutes(30)), (job.RuntimeLimit, job.RuntimeEstimate, job.CheckpointInterval));
        Assert.Equal(5, job.RetryBudget);
        Assert.Equal(PriorityClasses.High.DefaultMinRuntime, job.MinRuntime);
        Assert.Equal("run-2026-11-23", job.IdempotencyKey);
        Assert.Equal(["torchrun", "train.py"], job.Run.Command);
        Assert.Equal("registry.example/llama:3", job.Run.ToCommand()["image"]);
    }

    [Fact]
    public void A_minimal_job_gets_the_documented_defaults()
    {
        var job = WorkloadSpecReader.ParseJob("""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: tiny, tenant: acme }
            spec:
              queue: default
              resources: { cpu: 2, memory: 4 }
            """);

        Assert.Equal((1, 0, 0), (job.Replicas, job.Resources.GpuCount, job.Resources.GpuMilli));
        Assert.Same(PriorityClasses.Normal, job.PriorityClass);
        Assert.Equal(3, job.RetryBudget);
        Assert.Equal(TimeSpan.FromMinutes(10), job.MinRuntime);
        Assert.Empty(job.Topology);
        Assert.Null(job.IdempotencyKey);
        Assert.Same(RunSpec.None, job.Run);
    }

    [Fact]
    public void The_same_job_in_json_reads_the_same_as_in_yaml()
    {
        const string json = """
            {"apiVersion": "neocloud.dev/v1", "kind": "Job",
             "metadata": {"name": "llama-pretrain", "tenant": "acme"},
             "spec": {"queue": "acme-training", "replicas": 8,
                      "resources": {"gpus": 8, "gpuTypes": ["H100-SXM5", "h200"], "cpu": 96, "memory": 1024},
                      "topology": {"nvlinkDomain": "preferred", "leaf": "required"},
                      "priorityClass": "high", "runtimeLimit": "48h", "runtimeEstimate": "36h", "checkpointInterval": "30m",
                      "retryBudget": 5, "idempotencyKey": "run-2026-11-23",
                      "run": {"image": "registry.example/llama:3", "command": ["torchrun", "train.py"], "args": ["--steps", "100000"]}}}
            """;

        Assert.Equal(WorkloadSpecReader.ParseJob(Training).ToCanonicalJson(), WorkloadSpecReader.ParseJob(json).ToCanonicalJson());
    }

    [Theory]
    [InlineData("0.5", 1, 500, null)]
    [InlineData("0.125", 1, 125, null)]
    [InlineData("1", 1, 1000, null)]
    [InlineData("1g.10gb", 1, 142, "1g.10gb")]
    [InlineData("3g.40gb", 1, 428, "3g.40gb")]
    [InlineData("7g.80gb", 1, 1000, "7g.80gb")]
    public void Gpu_shares_and_mig_profiles_become_milli_gpu(string gpus, int count, int milli, string? profile)
    {
        var job = WorkloadSpecReader.ParseJob(JobWith($"gpus: {gpus}", "gpuTypes: [a100]"));

        Assert.Equal((count, milli, profile), (job.Resources.GpuCount, job.Resources.GpuMilli, job.Resources.MigProfile));
    }

    [Fact]
    public void A_mig_profile_without_gpu_types_is_pinned_to_the_models_that_offer_it()
    {
        var job = WorkloadSpecReader.ParseJob(JobWith("gpus: 1g.10gb"));

        Assert.Equal(["h100-sxm5-80gb", "a100-sxm4-80gb"], job.Resources.GpuTypes);
    }

    [Fact]
    public void A_job_maps_to_the_gang_the_scheduler_places()
    {
        var gang = WorkloadSpecReader.ParseJob(Training).ToGangRequest("job-1");

        Assert.Equal(("job-1", 8), (gang.Id, gang.Replicas));
        Assert.Equal((96_000, 1024 * 1024, 8, 1000), (gang.Replica.CpuMilli, gang.Replica.MemoryMib, gang.Replica.GpuCount, gang.Replica.GpuMilli));
        Assert.Equal(["h100-sxm5-80gb", "h200-141gb"], gang.Replica.GpuModels!);
        Assert.Null(gang.Replica.Problem());
        Assert.Equal(2, gang.Topology.Count);
        Assert.Equal(64_000, gang.GpuMilliTotal);
    }

    [Fact]
    public void A_fractional_job_maps_to_a_well_formed_share_request()
    {
        var gang = WorkloadSpecReader.ParseJob(JobWith("gpus: 0.25")).ToGangRequest("j");

        Assert.Equal((1, 250), (gang.Replica.GpuCount, gang.Replica.GpuMilli));
        Assert.Null(gang.Replica.GpuModels);
        Assert.Null(gang.Replica.Problem());
    }

    [Fact]
    public void A_service_is_read_with_its_replica_range_and_spread()
    {
        var service = WorkloadSpecReader.ParseService("""
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: chat, tenant: acme }
            spec:
              queue: acme-inference
              replicas: { min: 2, max: 16 }
              resources: { gpus: 0.5, gpuTypes: [l40s], cpu: 8, memory: 32 }
              spreadAcross: rack
              priorityClass: critical
            """);

        Assert.Equal((2, 16, SpreadDomain.Rack), (service.MinReplicas, service.MaxReplicas, service.SpreadAcross));
        Assert.Equal((1, 500), (service.Resources.GpuCount, service.Resources.GpuMilli));
        Assert.Same(PriorityClasses.Critical, service.PriorityClass);
    }

    [Fact]
    public void A_stream_of_documents_is_read_in_order()
    {
        string stream = Training + "\n---\n" + """
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: chat, tenant: acme }
            spec:
              queue: acme-inference
              replicas: { min: 1, max: 2 }
              resources: { gpus: 1, cpu: 8, memory: 32 }
            ---
            """;

        var specs = WorkloadSpecReader.ParseAll(stream);

        Assert.Collection(specs, s => Assert.IsType<JobSpec>(s), s => Assert.IsType<ServiceSpec>(s));
    }

    [Fact]
    public void Every_problem_of_a_bad_job_is_listed_field_by_field_with_its_line()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseAll("""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata:
              name: Bad_Name
            spec:
              replicas: 0
              resources:
                gpus: 1.5
                gpuTypes: [H100-SXM6]
                cpu: -4
                memory: 0
              topology:
                rack: required
                leaf: requird
              priorityClass: urgent
              runtimeLimit: 1h
              runtimeEstimate: 2h
              checkpointInterval: soon
              retryBudgett: 3
            """));

        var errors = error.Errors.Select(e => (e.Line, e.Path)).ToList();
        Assert.Contains((4, "metadata.name"), errors);
        Assert.Contains((4, "metadata.tenant"), errors);
        Assert.Contains((6, "spec.queue"), errors);
        Assert.Contains((6, "spec.replicas"), errors);
        Assert.Contains((8, "spec.resources.gpus"), errors);
        Assert.Contains((9, "spec.resources.gpuTypes[0]"), errors);
        Assert.Contains((10, "spec.resources.cpu"), errors);
        Assert.Contains((11, "spec.resources.memory"), errors);
        Assert.Contains((13, "spec.topology.rack"), errors);
        Assert.Contains((14, "spec.topology.leaf"), errors);
        Assert.Contains((15, "spec.priorityClass"), errors);
        Assert.Contains((17, "spec.runtimeEstimate"), errors);
        Assert.Contains((18, "spec.checkpointInterval"), errors);
        Assert.Contains((19, "spec.retryBudgett"), errors);
        Assert.Contains("did you mean 'retryBudget'", error.Message);
        Assert.Contains("did you mean 'h100-sxm5'", error.Message);
        Assert.Contains("did you mean 'required'", error.Message);
        Assert.Contains("at most 1", Message(error, "spec.resources.gpus"));
        Assert.All(error.Errors, e => Assert.True(e.Column > 0));
    }

    [Theory]
    [InlineData("gpus: 0", "must be positive")]
    [InlineData("gpus: -2", "must be positive")]
    [InlineData("gpus: 0.0005", "thousandths")]
    [InlineData("gpus: 9g.10gb", "not a MIG profile")]
    [InlineData("gpus: lots", "must be a number of GPUs")]
    public void Bad_gpu_counts_are_refused_with_why(string gpus, string why)
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseJob(JobWith(gpus)));

        Assert.Contains(why, Message(error, "spec.resources.gpus"));
    }

    [Fact]
    public void A_mig_profile_a_listed_gpu_type_does_not_offer_is_refused()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseJob(JobWith("gpus: 1g.10gb", "gpuTypes: [h200, l40s]")));

        Assert.Contains("h200-141gb, l40s-48gb do not offer MIG profile '1g.10gb'", Message(error, "spec.resources.gpuTypes"));
    }

    [Fact]
    public void Shared_gpu_replicas_cannot_ask_for_an_nvlink_domain_or_share_one_node()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseJob("""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: shared, tenant: acme }
            spec:
              queue: q
              replicas: 4
              resources: { gpus: 0.5, cpu: 1, memory: 1 }
              topology: { nvlinkDomain: preferred, node: required }
            """));

        Assert.Equal(["spec.topology.nvlinkDomain", "spec.topology.node"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_service_with_more_minimum_than_maximum_replicas_or_an_unknown_spread_is_refused()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseService("""
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: chat, tenant: acme }
            spec:
              queue: q
              replicas: { min: 5, max: 2 }
              resources: { gpus: 1, cpu: 1, memory: 1 }
              spreadAcross: racks
            """));

        Assert.Equal(["spec.replicas.min", "spec.spreadAcross"], error.Errors.Select(e => e.Path));
        Assert.Contains("did you mean 'rack'", error.Message);
    }

    [Fact]
    public void A_wrong_kind_or_api_version_is_refused()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseAll("""
            apiVersion: neocloud.io/v2
            kind: Fleet
            metadata: { name: x, tenant: acme }
            spec: {}
            """));

        Assert.Equal(["apiVersion", "kind"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Broken_yaml_is_reported_with_its_position()
    {
        var error = Assert.Throws<WorkloadSpecException>(() => WorkloadSpecReader.ParseAll("kind: [Job"));

        Assert.Contains("not valid YAML", Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void A_spec_round_trips_through_its_canonical_json()
    {
        var job = WorkloadSpecReader.ParseJob(Training);
        string json = job.ToCanonicalJson();

        var back = Assert.IsType<JobSpec>(WorkloadSpec.FromCanonicalJson(json));

        Assert.Equal(json, back.ToCanonicalJson());
        Assert.Equal(job.RuntimeLimit, back.RuntimeLimit);
        Assert.Equal(job.Topology, back.Topology);
        Assert.StartsWith("{\"kind\":\"Job\"", json, StringComparison.Ordinal);
    }

    private static string Message(WorkloadSpecException error, string path) =>
        Assert.Single(error.Errors, e => e.Path == path).Message;

    private static string JobWith(params string[] resourceLines) => $"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: {"{"} name: j, tenant: acme {"}"}
        spec:
          queue: q
          resources:
            cpu: 4
            memory: 16
        {string.Concat(resourceLines.Select(l => "    " + l + "\n"))}
        """;
}
