using Microsoft.Extensions.Time.Testing;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Simulation;

public sealed class TwinRunnerTests
{
    [Fact]
    public async Task Paced_at_60x_ten_virtual_minutes_take_ten_wall_seconds()
    {
        var twin = new FleetTwin(TestFleets.Small, 1, TestFleets.Quiet);
        var wall = new FakeTimeProvider();
        var run = new TwinRunner(twin, wall).RunAsync(TimeSpan.FromMinutes(10), 60, CancellationToken.None);

        for (int s = 0; s < 9; s++)
        {
            wall.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.False(run.IsCompleted);
        Assert.True(twin.Now - twin.Options.Start <= TimeSpan.FromMinutes(9.5));
        for (int s = 0; s < 5 && !run.IsCompleted; s++)
        {
            wall.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(twin.Options.Start + TimeSpan.FromMinutes(10), twin.Now);
    }

    [Fact]
    public async Task Unpaced_the_runner_goes_flat_out_and_stops_when_cancelled()
    {
        var twin = new FleetTwin(TestFleets.Small, 1, TestFleets.Quiet);
        await new TwinRunner(twin, TimeProvider.System).RunAsync(TimeSpan.FromHours(1), null, CancellationToken.None);
        Assert.Equal(120, twin.Ticks);

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TwinRunner(twin, TimeProvider.System).RunAsync(TimeSpan.FromHours(1), null, cts.Token));
    }
}
