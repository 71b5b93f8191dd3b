using NeoCloud.Simulator.Time;

namespace NeoCloud.Simulator.Tests.Time;

public sealed class VirtualClockTests
{
    [Fact]
    public void Virtual_time_moves_only_when_advanced()
    {
        var clock = new VirtualClock();
        var start = clock.GetUtcNow();
        long ts = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(VirtualClock.DefaultStart, start);
        Assert.Equal(start + TimeSpan.FromMinutes(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(5), clock.GetElapsedTime(ts));
    }

    [Fact]
    public void Virtual_time_cannot_go_backwards()
    {
        var clock = new VirtualClock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(VirtualClock.DefaultStart.AddSeconds(-1)));
    }

    [Fact]
    public async Task A_delay_on_virtual_time_completes_when_the_clock_passes_it()
    {
        var clock = new VirtualClock();
        var delay = Task.Delay(TimeSpan.FromMinutes(10), clock);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_period_passed_at_its_own_due_times()
    {
        var clock = new VirtualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.Advance(TimeSpan.FromMinutes(3.5));

        Assert.Equal([1, 2, 3], fired.Select(f => (f - VirtualClock.DefaultStart).TotalMinutes));
    }
}
