using NeoCloud.Scheduling.Openb;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Openb;

public sealed class OpenbProtocolTests
{
    private static IReadOnlyList<NodeCapacity> Nodes(string csv) => OpenbTrace.ReadNodes(new StringReader("sn,cpu_milli,memory_mib,gpu,model\n" + csv), "nodes.csv");

    private static IReadOnlyList<OpenbTask> Pods(string csv) => OpenbTrace.ReadPods(new StringReader("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\n" + csv), "pods.csv");

    [Fact]
    public void Clones_are_appended_until_the_first_draw_that_would_pass_the_inflated_capacity()
    {
        // C = 2,000 milli, 1.3 × C = 2,600: one 500-milli pod, then clones at 1,000 / 1,500 / 2,000 / 2,500; the next would pass.
        var result = OpenbProtocol.Run(Nodes("n0,8000,8192,1,T4\nn1,8000,8192,1,T4\n"), Pods("p0,1000,1024,1,500,\n"), new OpenbOptions(1.3, Seed: 7));

        Assert.Equal(1, result.Originals);
        Assert.Equal(4, result.Clones);
        Assert.Equal(4, result.Placed);
        Assert.Equal(1, result.Failed);
    }

    [Fact]
    public void Allocation_rate_is_the_mean_over_the_events_whose_arrival_rounds_to_the_level()
    {
        // One GPU (C = 1,000): 4-milli shares arrive 0.4% at a time; 250 fit, then the GPU is full.
        var result = OpenbProtocol.Run(Nodes("n0,1000000,1000000,1,T4\n"), Pods("p0,0,0,1,4,\n"), new OpenbOptions(1.3, Seed: 1));
        var rate = result.AllocationRate;

        Assert.Equal(250, result.Placed);
        Assert.Equal(0.4, rate[0]!.Value, 9);                      // 0.4
        Assert.Equal(1.0, rate[1]!.Value, 9);                      // 0.8, 1.2
        Assert.Equal((99.6 + 100 + 100) / 3, rate[100]!.Value, 9); // 99.6, 100.0, then 100.4 fails: still 100
        Assert.Equal(100, rate[130]!.Value, 9);                    // 129.6, 130.0 both fail
        Assert.Equal(OpenbResult.MaxArrivalPercent + 1, rate.Count);
    }

    [Fact]
    public void A_task_that_fits_nowhere_fails_once_and_is_not_retried()
    {
        // Two GPUs but CPU for one 3,000-milli task: the second whole-GPU task fails on CPU.
        var result = OpenbProtocol.Run(Nodes("n0,4000,8192,2,T4\n"), Pods("p0,3000,1024,1,1000,\n"), new OpenbOptions(1.3, Seed: 3));

        Assert.Equal((1, 1, 1), (result.Placed, result.Failed, result.Clones));
        Assert.Equal(50, result.AllocationRate[50]!.Value, 9);
        Assert.Equal(50, result.AllocationRate[100]!.Value, 9);
        Assert.Null(result.AllocationRate[75]);
    }

    [Fact]
    public void A_gpu_spec_keeps_a_task_off_other_models()
    {
        var result = OpenbProtocol.Run(Nodes("n0,8000,8192,1,T4\nn1,8000,8192,1,V100\n"), Pods("p0,0,0,1,1000,V100\np1,0,0,1,1000,V100\n"), new OpenbOptions(1.0, Seed: 5));

        Assert.Equal((1, 1), (result.Placed, result.Failed));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("dotprod")]
    [InlineData("gpuclustering")]
    [InlineData("gpupacking")]
    [InlineData("bestfit")]
    [InlineData("fgd")]
    [InlineData("neocloud")]
    public void The_same_seed_replays_the_same_run(string policy)
    {
        var nodes = Nodes("n0,16000,65536,8,G2\nn1,8000,32768,2,T4\nn2,8000,32768,2,T4\n");
        var pods = Pods("p0,2000,4096,1,500,\np1,4000,8192,1,1000,\np2,1000,1024,0,0,\np3,8000,16384,4,1000,\np4,1000,2048,1,250,T4\n");

        var first = OpenbProtocol.Run(nodes, pods, new OpenbOptions(1.3, 11, policy));
        var second = OpenbProtocol.Run(nodes, pods, new OpenbOptions(1.3, 11, policy));

        Assert.Equal(first.AllocationRate, second.AllocationRate);
        Assert.Equal(first.Placed + first.Failed, first.Originals + first.Clones);
    }

    [Fact]
    public void The_protocol_runs_our_policy_unless_told_otherwise()
    {
        var result = OpenbProtocol.Run(Nodes("n0,8000,8192,1,T4\n"), Pods("p0,0,0,1,1000,\n"), new OpenbOptions(1.0));

        Assert.Equal(PlacementPolicies.Ours, result.Policy);
    }

    [Fact]
    public void A_task_no_node_could_ever_host_is_counted_apart_from_the_first_real_failure()
    {
        var nodes = Nodes("n0,8000,8192,1,T4\n");
        // p0 asks more CPU than any node has; it takes no GPU, so the second GPU pod fails at 200% arrival whatever the order.
        var pods = Pods("p0,9000,0,0,0,\np1,0,0,1,1000,\np2,0,0,1,1000,\n");

        var result = OpenbProtocol.Run(nodes, pods, new OpenbOptions(1.0, Seed: 2));

        Assert.Equal((1, 2, 1), (result.Placed, result.Failed, result.Unplaceable));
        Assert.Equal(200, result.FirstFailureArrivalPercent!.Value, 6);
    }

    [Fact]
    public void An_unknown_policy_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PlacementPolicies.ReferenceName("tetris"));
    }
}
