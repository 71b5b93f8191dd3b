using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fragmentation;

public sealed class TypicalTasksTests
{
    [Fact]
    public void The_most_frequent_shapes_covering_the_share_are_kept_and_renormalised()
    {
        var whole = new PlacementRequest(1000, 1024, 1, 1000);
        var share = new PlacementRequest(1000, 1024, 1, 500);
        var rare = new PlacementRequest(8000, 1024, 8, 1000);
        var tasks = Enumerable.Repeat(whole, 60).Concat(Enumerable.Repeat(share, 36)).Concat(Enumerable.Repeat(rare, 4))
            .Append(new PlacementRequest(500, 512, 0, 0));

        var typical = TypicalTasks.From(tasks);

        Assert.Equal(2, typical.Shapes.Count);
        Assert.Equal(60.0 / 96, typical.Shapes[0].Frequency, 9);
        Assert.Equal(500, typical.Shapes[1].GpuMilli);
    }

    [Fact]
    public void All_shapes_keep_the_rare_shapes_the_typical_set_leaves_out()
    {
        var whole = new PlacementRequest(1000, 1024, 1, 1000);
        var rare = new PlacementRequest(120_000, 1024, 8, 1000);
        var tasks = Enumerable.Repeat(whole, 99).Append(rare).Append(new PlacementRequest(500, 512, 0, 0));

        var typical = TypicalTasks.From(tasks);

        Assert.Single(typical.Shapes);
        Assert.Equal(2, typical.AllShapes.Count);
        Assert.Equal((8, 0.01), (typical.AllShapes[1].GpuCount, typical.AllShapes[1].Frequency));
    }
}
