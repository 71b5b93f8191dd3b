using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Health;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Health;

/// <summary>Remediation's fleet port in the host: fences, releases and retirements are legal, recorded lifecycle walks by automation.</summary>
public sealed class FleetRemediationPortTests
{
    private const string Node = "euw1-dc1-r01-n02";
    private const string Gpu = "euw1-dc1-r01-n03/gpu1";

    private static readonly Dictionary<string, string> HealthOff = new() { ["NeoCloud:Health:Enabled"] = "false" };

    [Theory]
    [InlineData(LifecycleState.Available, LifecycleState.Rma, new[] { LifecycleState.Quarantined, LifecycleState.Rma })]
    [InlineData(LifecycleState.Cordoned, LifecycleState.Available, new[] { LifecycleState.Available })]
    [InlineData(LifecycleState.Quarantined, LifecycleState.Available, new[] { LifecycleState.Cordoned, LifecycleState.Available })]
    [InlineData(LifecycleState.Repair, LifecycleState.Available, new[] { LifecycleState.Available })]
    public void The_walk_between_two_node_states_is_the_shortest_legal_one(LifecycleState from, LifecycleState to, LifecycleState[] expected)
    {
        var path = FleetRemediationPort.PathTo(LifecycleMachine.Node, from, to);

        Assert.Equal(expected, path);
        var state = from;
        foreach (var step in path!)
        {
            Assert.True(LifecycleMachine.Node.CanTransition(state, step), $"{state} -> {step}");
            state = step;
        }
    }

    [Fact]
    public void Nothing_walks_out_of_decommissioned_and_nothing_walks_through_it()
    {
        Assert.Null(FleetRemediationPort.PathTo(LifecycleMachine.Node, LifecycleState.Decommissioned, LifecycleState.Available));
        Assert.DoesNotContain(LifecycleState.Decommissioned, FleetRemediationPort.PathTo(LifecycleMachine.Gpu, LifecycleState.Rma, LifecycleState.Available)!);
    }

    [Fact]
    public async Task Fencing_cordons_the_node_and_quarantines_the_gpu_as_automation_and_again_changes_nothing()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        var port = host.Services.GetRequiredService<FleetRemediationPort>();

        await port.FenceAsync([Node], [Gpu], "XID 79 diagnosed on the GPU", default);
        await port.FenceAsync([Node], [Gpu], "XID 79 diagnosed on the GPU", default);

        var node = (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!;
        var gpu = (await host.Fleet.GetGpuAsync(new GpuId(Gpu), default))!;
        Assert.Equal(LifecycleState.Cordoned, node.State);
        Assert.Equal(LifecycleState.Quarantined, gpu.State);
        var history = await host.Fleet.ListTransitionsAsync(Node, default);
        var cordon = Assert.Single(history, h => h.To == LifecycleState.Cordoned);
        Assert.Equal("automation:health-remediation", cordon.Actor);
        Assert.Equal("XID 79 diagnosed on the GPU", cordon.Reason);
    }

    [Fact]
    public async Task Release_returns_fenced_hardware_to_service_and_retire_sends_it_to_rma()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        var port = host.Services.GetRequiredService<FleetRemediationPort>();
        await port.FenceAsync([Node], [Gpu], "suspect", default);

        await port.ReleaseAsync([Node], [Gpu], "burn-in passed", default);
        Assert.Equal(LifecycleState.Available, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
        Assert.Equal(LifecycleState.Available, (await host.Fleet.GetGpuAsync(new GpuId(Gpu), default))!.State);

        await port.RetireAsync([Node], [Gpu], "repeat offender", default);
        Assert.Equal(LifecycleState.Rma, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
        Assert.Equal(LifecycleState.Rma, (await host.Fleet.GetGpuAsync(new GpuId(Gpu), default))!.State);
    }

    [Fact]
    public async Task Fencing_an_unknown_node_says_which()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        var port = host.Services.GetRequiredService<FleetRemediationPort>();

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => port.FenceAsync(["euw9-dc9-r99-n99"], [], "x", default));

        Assert.Contains("euw9-dc9-r99-n99", error.Message, StringComparison.Ordinal);
    }
}
