using NeoCloud.Scheduling.Topology;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Tests.Specs;

public sealed class ServiceSpecTests
{
    private static ServiceSpec Read(string spread, int min = 3, int max = 8) => WorkloadSpecReader.ParseService($$"""
        apiVersion: neocloud.dev/v1
        kind: Service
        metadata: { name: chat, tenant: acme }
        spec:
          queue: acme-inference
          replicas: { min: {{min}}, max: {{max}} }
          resources: { gpus: 0.5, gpuTypes: [l40s], cpu: 8, memory: 32 }
          spreadAcross: {{spread}}
          priorityClass: critical
        """);

    [Theory]
    [InlineData("node", SpreadLevel.Node)]
    [InlineData("rack", SpreadLevel.Rack)]
    [InlineData("leaf", SpreadLevel.Leaf)]
    [InlineData("site", SpreadLevel.Site)]
    public void A_service_becomes_a_gang_of_its_minimum_replicas_spread_across_its_domain(string spread, SpreadLevel expected)
    {
        var service = Read(spread);

        var gang = service.ToGangRequest("job-1");

        Assert.Equal(("job-1", 3, expected), (gang.Id, gang.Replicas, gang.Spread));
        Assert.Empty(gang.Topology);
        Assert.Equal((8000, 32 * 1024, 1, 500), (gang.Replica.CpuMilli, gang.Replica.MemoryMib, gang.Replica.GpuCount, gang.Replica.GpuMilli));
        Assert.Equal(service.Resources.GpuTypes, gang.Replica.GpuModels!);
        Assert.Single(gang.Replica.GpuModels!);
    }

    [Fact]
    public void The_maximum_replicas_do_not_change_the_gang_while_nothing_autoscales()
    {
        Assert.Equal(Read("node", 2, 2).ToGangRequest("a").Replicas, Read("node", 2, 16).ToGangRequest("a").Replicas);
    }
}
