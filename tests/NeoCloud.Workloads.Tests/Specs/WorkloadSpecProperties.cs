using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Tests.Specs;

public sealed class WorkloadSpecProperties
{
    private static readonly string[] Profiles = ["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"];

    /// <summary>
    /// Whatever GPU ask a valid job makes (whole GPUs, a share in thousandths, a MIG profile), its gang is a request the
    /// scheduler accepts, takes the GPU capacity the spec asked for, and survives the canonical JSON round trip.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Every_valid_gpu_ask_maps_to_a_well_formed_gang_of_the_same_size(byte shape, ushort amount, byte replicas, ushort cpuTenths, ushort memory)
    {
        int kind = shape % 3;
        string gpus = kind switch
        {
            0 => (1 + (amount % 16)).ToString(CultureInfo.InvariantCulture),
            1 => "0." + (1 + (amount % 999)).ToString("000", CultureInfo.InvariantCulture),
            _ => Profiles[amount % Profiles.Length],
        };
        long expectedMilli = kind switch
        {
            0 => 1000L * (1 + (amount % 16)),
            1 => 1 + (amount % 999),
            _ => Profiles[amount % Profiles.Length][0] == '7' ? 1000 : (Profiles[amount % Profiles.Length][0] - '0') * 1000 / 7,
        };
        int gang = 1 + (replicas % 64);
        string cpu = ((1 + cpuTenths) / 10m).ToString(CultureInfo.InvariantCulture);
        var job = WorkloadSpecReader.ParseJob($"""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: {"{"} name: p, tenant: acme {"}"}
            spec:
              queue: q
              replicas: {gang}
              resources: {"{"} gpus: {gpus}, gpuTypes: [a100], cpu: {cpu}, memory: {1 + memory} {"}"}
            """);

        var request = job.ToGangRequest("p");
        var back = (JobSpec)WorkloadSpec.FromCanonicalJson(job.ToCanonicalJson());

        return (request.Replica.Problem() is null
                && request.Replica.GpuMilliTotal == expectedMilli
                && request.GpuMilliTotal == gang * expectedMilli
                && request.Replica.CpuMilli == (1 + cpuTenths) * 100
                && request.Replica.MemoryMib == (1 + memory) * 1024
                && back.ToCanonicalJson() == job.ToCanonicalJson())
            .Label($"gpus {gpus} x {gang}: {request.Replica}");
    }
}
