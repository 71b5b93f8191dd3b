using NeoCloud.Server.Health;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Telemetry.Dcgm;

namespace NeoCloud.Server.Tests.Health;

/// <summary>The health loop's view of telemetry: frames filled from parsed pages, handed over one round at a time, never overwritten while in use.</summary>
public sealed class FrameObserverTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_finished_round_hands_over_a_frame_with_the_nodes_that_answered_and_their_gpu_signals()
    {
        var fleet = TestFleet.Generate();
        var observer = new FrameObserver(fleet, new FixedClock(At), railsPerNode: 8);
        string node = fleet.Nodes[1].Id.Value;

        observer.OnRoundStarted(At);
        observer.OnDcgmPage(node, [new GpuReading(2, "GPU-x", node, "H100", DcgmField.XidErrors, 79), new GpuReading(2, "GPU-x", node, "H100", DcgmField.GpuTemp, 71)]);
        observer.OnDcgmPage("no-such-node", [new GpuReading(0, "GPU-y", "no-such-host", "H100", DcgmField.GpuTemp, 40)]);
        observer.OnRoundCompleted(At, [node]);
        var frame = await observer.TakeAsync(default);

        Assert.Equal(At, frame.At);
        Assert.True(frame.NodeAnswered[1]);
        Assert.False(frame.NodeAnswered[0]);
        var gpu = frame.Gpus[fleet.GpuOffsets[1] + 2];
        Assert.True(gpu.Present);
        Assert.Equal(79, gpu.Xid);
        Assert.Equal(71f, gpu.GpuTempC);
        Assert.Equal(1, observer.UnknownNodes);
    }

    [Fact]
    public async Task While_the_loop_holds_a_frame_rounds_go_on_and_an_untaken_round_gives_way_to_a_newer_one()
    {
        var fleet = TestFleet.Generate();
        var clock = new SteppingClock(At);
        var observer = new FrameObserver(fleet, clock, railsPerNode: 8);

        Round(observer, clock);
        var first = await observer.TakeAsync(default);
        Round(observer, clock);
        Round(observer, clock);

        Assert.Equal(1, observer.Dropped);
        var newest = await observer.TakeAsync(default);
        Assert.NotSame(first, newest);
        Assert.Equal(At.AddSeconds(2), newest.At);
        Assert.Equal(At, first.At);
        observer.Return(first);
        observer.Return(newest);
        Round(observer, clock);
        Assert.Equal(At.AddSeconds(3), (await observer.TakeAsync(default)).At);
        Assert.Equal(1, observer.Dropped);
    }

    private static void Round(FrameObserver observer, SteppingClock clock)
    {
        observer.OnRoundStarted(At);
        observer.OnRoundCompleted(At, []);
        clock.Now += TimeSpan.FromSeconds(1);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
