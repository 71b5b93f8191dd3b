using System.Text;
using BenchmarkDotNet.Attributes;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Benchmarks.Workloads;

/// <summary>Reading and validating a stream of job manifests (what <c>neoctl submit -f</c> sends), and a job's canonical JSON.</summary>
[MemoryDiagnoser]
public class WorkloadSpecBenchmarks
{
    private string _stream = "";
    private JobSpec? _job;

    [Params(1, 100)]
    public int Documents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Documents; i++)
        {
            text.Append($$"""
                apiVersion: neocloud.dev/v1
                kind: Job
                metadata: { name: train-{{i}}, tenant: acme }
                spec:
                  queue: acme-training
                  replicas: 8
                  resources: { gpus: 8, gpuTypes: [h100-sxm5, h200], cpu: 96, memory: 1024 }
                  topology: { nvlinkDomain: preferred, leaf: required }
                  priorityClass: high
                  runtimeLimit: 48h
                  runtimeEstimate: 36h
                  checkpointInterval: 30m
                  idempotencyKey: run-{{i}}
                  run: { image: registry.example/llama:3, command: [torchrun, train.py] }
                ---

                """);
        }

        _stream = text.ToString();
        _job = (JobSpec)WorkloadSpecReader.ParseAll(_stream)[0];
    }

    [Benchmark]
    public int ParseStream() => WorkloadSpecReader.ParseAll(_stream).Count;

    [Benchmark]
    public int CanonicalJson() => _job!.ToCanonicalJson().Length;
}
