using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Placement.Scores;

namespace NeoCloud.Scheduling.Tests.Placement;

public sealed class ScoreTests
{
    [Fact]
    public void Normalize_maps_the_lowest_score_to_0_and_the_highest_to_100()
    {
        double[] scores = [-4, 0, 6];
        ScoreScale.MinMax(scores);

        Assert.Equal([0, 40, 100], scores);
    }

    [Fact]
    public void Equal_scores_all_normalise_to_the_maximum()
    {
        double[] scores = [3, 3];
        ScoreScale.MinMax(scores);

        Assert.Equal([100, 100], scores);
    }

    [Fact]
    public void Best_fit_prefers_the_node_left_with_less_free()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("empty", 8000, 8192, 2, "T4"), new NodeCapacity("busy", 8000, 8192, 2, "T4")]);
        snapshot.Assign(new Binding(1, 1), snapshot.Resolve(new PlacementRequest(4000, 0, 1, 1000)));
        var request = snapshot.Resolve(new PlacementRequest(1000, 0, 1, 1000));
        var bestFit = new BestFit();

        Assert.True(bestFit.Score(snapshot, request, 1) > bestFit.Score(snapshot, request, 0));
    }

    [Fact]
    public void Fgd_puts_a_share_on_the_gpu_fragment_rather_than_opening_a_whole_gpu()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("fresh", 8000, 8192, 1, "T4"), new NodeCapacity("half", 8000, 8192, 1, "T4")]);
        snapshot.Assign(new Binding(1, 1), snapshot.Resolve(new PlacementRequest(0, 0, 1, 500)));
        var typical = TypicalTasks.Of([new TaskShape(1000, 1024, 1, 1000, "", 1.0)]);
        var fgd = new FragmentationGradient(snapshot, typical);
        var share = snapshot.Resolve(new PlacementRequest(1000, 1024, 1, 500));

        Assert.Equal(500, fgd.NodeFragmentation(1));
        Assert.True(fgd.Score(snapshot, share, 1) > fgd.Score(snapshot, share, 0));
    }

    [Fact]
    public void Fgd_counts_all_free_gpu_as_fragment_when_the_node_lacks_cpu_or_memory_for_the_typical_task()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("n", 2000, 8192, 2, "T4")]);
        var fgd = new FragmentationGradient(snapshot, TypicalTasks.Of([new TaskShape(4000, 1024, 1, 1000, "", 1.0)]));

        Assert.Equal(2000, fgd.NodeFragmentation(0));
    }

    [Fact]
    public void Fgd_picks_the_gpu_that_leaves_the_least_fragment()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("n", 8000, 8192, 2, "T4")]);
        snapshot.Assign(new Binding(0, 0b10), snapshot.Resolve(new PlacementRequest(0, 0, 1, 600)));
        var fgd = new FragmentationGradient(snapshot, TypicalTasks.Of([new TaskShape(0, 0, 1, 1000, "", 1.0)]));

        Assert.Equal(0b10UL, fgd.ChooseGpus(snapshot, snapshot.Resolve(new PlacementRequest(0, 0, 1, 400)), 0));
    }

    [Fact]
    public void The_pipeline_refreshes_the_fragmentation_of_the_node_it_placed_on()
    {
        var snapshot = new ClusterSnapshot([new NodeCapacity("n", 8000, 8192, 2, "T4")]);
        var typical = TypicalTasks.Of([new TaskShape(0, 0, 1, 1000, "", 1.0)]);
        var policy = PlacementPolicies.Create("fgd", snapshot, typical);
        var pipeline = new PlacementPipeline(snapshot, policy, seed: 1);

        pipeline.Place(new PlacementRequest(0, 0, 1, 300));

        Assert.Equal(700, ((FragmentationGradient)policy.Binder).NodeFragmentation(0));
    }
}
