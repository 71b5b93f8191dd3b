using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Workload;

public sealed class LoadTests
{
    private static readonly NodeId Node = new("euw1-dc1-r01-n01");

    [Fact]
    public void An_assigned_gpu_runs_hot_while_an_idle_one_stays_cool()
    {
        var twin = new FleetTwin(TestFleets.Small, 9, TestFleets.Quiet);
        var busy = GpuId.Of(Node, 0);
        var idle = GpuId.Of(Node, 1);

        twin.Workload.Assign(busy, 1f);
        twin.Step(TimeSpan.FromMinutes(10));

        var hot = twin.ReadGpu(busy);
        var cool = twin.ReadGpu(idle);
        Assert.True(hot.UtilizationPercent > 90, $"util {hot.UtilizationPercent}");
        Assert.True(hot.PowerW > 500, $"power {hot.PowerW}");
        Assert.True(hot.GpuTempC > 65, $"temp {hot.GpuTempC}");
        Assert.True(hot.FramebufferUsedMiB > 60_000, $"fb {hot.FramebufferUsedMiB}");
        Assert.Equal(ClockEventReasons.None, hot.ClockEvents & ClockEventReasons.GpuIdle);
        Assert.Equal(0, cool.UtilizationPercent);
        Assert.True(cool.PowerW < 100, $"power {cool.PowerW}");
        Assert.True(cool.GpuTempC < 40, $"temp {cool.GpuTempC}");
        Assert.True(cool.ClockEvents.HasFlag(ClockEventReasons.GpuIdle));
        Assert.True(hot.TotalEnergyMj > cool.TotalEnergyMj * 3);
    }

    [Fact]
    public void Temperature_follows_power_with_a_lag()
    {
        var twin = new FleetTwin(TestFleets.Small, 9, TestFleets.Quiet);
        var gpu = GpuId.Of(Node, 0);
        twin.Workload.Assign(gpu, 1f);

        twin.Step(TimeSpan.FromSeconds(30));
        float early = twin.ReadGpu(gpu).GpuTempC;
        twin.Step(TimeSpan.FromMinutes(10));
        float settled = twin.ReadGpu(gpu).GpuTempC;
        twin.Workload.Release(gpu);
        twin.Step(TimeSpan.FromSeconds(30));
        float cooling = twin.ReadGpu(gpu).GpuTempC;

        Assert.True(early < settled - 10, $"{early} should still be well below {settled}");
        Assert.True(cooling > 40 && cooling < settled, $"{cooling} should lie between idle and {settled}");
    }

    [Fact]
    public void The_synthetic_load_keeps_the_fleet_near_its_target_allocation_and_busy_gpus_hotter()
    {
        var twin = new FleetTwin(TestFleets.Small, 13, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromHours(6));

        Assert.InRange(twin.MeanAllocationRatio, 0.70, 0.80);
        Assert.True(twin.Workload.SyntheticJobsStarted > 100);
        var readings = Enumerable.Range(0, twin.Topology.GpuCount).Select(twin.ReadGpu).ToList();
        double busyTemp = readings.Where(r => r.Intensity > 0).Average(r => r.GpuTempC);
        double idleTemp = readings.Where(r => r.Intensity == 0).Average(r => r.GpuTempC);
        Assert.True(busyTemp > idleTemp + 15, $"busy {busyTemp} vs idle {idleTemp}");
    }

    [Fact]
    public void An_executor_cannot_take_a_gpu_the_synthetic_load_holds()
    {
        var twin = new FleetTwin(TestFleets.Small, 13, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(1));
        int held = Enumerable.Range(0, twin.Topology.GpuCount).First(twin.Workload.IsAllocated);

        Assert.Throws<InvalidOperationException>(() => twin.Workload.Assign(held, 1f));
    }

    [Fact]
    public void A_quarantined_gpu_loses_its_job_and_gets_no_new_work()
    {
        var twin = new FleetTwin(TestFleets.Small, 13, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(5));
        int held = Enumerable.Range(0, twin.Topology.GpuCount).First(twin.Workload.IsAllocated);
        var id = twin.Topology.Gpus[held].Id;

        twin.Workload.Quarantine(id);
        twin.Step(TimeSpan.FromHours(1));

        Assert.False(twin.Workload.IsAllocated(held));
        Assert.Equal(0, twin.ReadGpu(id).UtilizationPercent);
    }

    [Fact]
    public void A_straggler_in_a_gang_runs_slower_than_its_peers()
    {
        var twin = new FleetTwin(TestFleets.Small, 31, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(5));
        var gang = twin.Synthetic.RunningJobs.First(j => j.NodeCount > 1);
        var slow = twin.Topology.Gpus[gang.Gpus[3]].Id;

        twin.Inject(new NeoCloud.Simulator.Faults.FaultRequest(NeoCloud.Simulator.Faults.FaultKind.Straggler, slow.Value));
        twin.Step(TimeSpan.FromMinutes(1));

        var peers = gang.Gpus.Where(g => g != gang.Gpus[3]).Select(twin.ReadGpu).ToList();
        var straggler = twin.ReadGpu(slow);
        Assert.False(gang.Done, "a straggler slows the gang down, it does not kill it");
        Assert.True(straggler.SmClockMhz < peers.Min(p => p.SmClockMhz) * 0.8f);
        Assert.True(straggler.ClockEvents.HasFlag(ClockEventReasons.HwSlowdown));
    }
}
