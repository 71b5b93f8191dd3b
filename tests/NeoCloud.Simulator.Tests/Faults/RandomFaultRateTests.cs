using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Faults;

public sealed class RandomFaultRateTests
{
    [Fact]
    public void Interruptions_over_a_day_of_ten_thousand_nodes_fall_in_the_poisson_band_of_the_llama_3_rate()
    {
        // The schedule is continuous in time, so long ticks change nothing about fault arrivals and keep the test quick.
        var options = new SimulationOptions { Tick = TimeSpan.FromMinutes(10) };
        var twin = new FleetTwin(TestFleets.Large, 2024, options);
        twin.Step(TimeSpan.FromHours(24));

        double expected = SimulationOptions.LlamaInterruptionsPerGpuHour * twin.Topology.GpuCount * 24;
        int observed = twin.GroundTruth.Count(f => FaultEngine.IsInterruptionCause(f.Cause));
        var (low, high) = PoissonBand(expected, 0.999);

        Assert.InRange(expected, 30, 45);
        Assert.InRange(observed, low, high);
    }

    [Fact]
    public void Over_many_faults_the_causes_follow_the_llama_3_breakdown()
    {
        var options = new SimulationOptions { Tick = TimeSpan.FromHours(1), SyntheticLoad = false, FaultRateMultiplier = 20 };
        var twin = new FleetTwin(TestFleets.Small, 77, options);
        twin.Step(TimeSpan.FromDays(365));

        var interruptions = twin.GroundTruth.Where(f => FaultEngine.IsInterruptionCause(f.Cause)).ToList();
        Assert.True(interruptions.Count > 1_000, $"only {interruptions.Count} interruptions");
        double faultyGpu = interruptions.Count(f => f.Cause == FaultCause.FaultyGpu) / (double)interruptions.Count;
        double hbm = interruptions.Count(f => f.Cause == FaultCause.GpuHbm3Memory) / (double)interruptions.Count;

        // 30.1% and 17.2% of the named causes, which add up to 90.9%.
        Assert.InRange(faultyGpu, 0.331 - 0.04, 0.331 + 0.04);
        Assert.InRange(hbm, 0.189 - 0.035, 0.189 + 0.035);
        Assert.Contains(twin.GroundTruth, f => f.Cause == FaultCause.PduFailure || f.Cause == FaultCause.LeafSwitchFailure);
        Assert.Contains(twin.GroundTruth, f => f.Cause == FaultCause.Straggler && !f.Fatal);
    }

    [Fact]
    public void Turning_random_faults_off_leaves_ground_truth_empty()
    {
        var twin = new FleetTwin(TestFleets.Small, 1, new SimulationOptions { RandomFaults = false, FaultRateMultiplier = 1_000 });
        twin.Step(TimeSpan.FromHours(6));

        Assert.Empty(twin.GroundTruth);
    }

    /// <summary>The central interval holding <paramref name="coverage"/> of a Poisson(λ) distribution.</summary>
    private static (int Low, int High) PoissonBand(double lambda, double coverage)
    {
        double tail = (1 - coverage) / 2;
        double p = Math.Exp(-lambda);
        double cdf = p;
        int k = 0;
        int low = -1;
        while (true)
        {
            if (low < 0 && cdf >= tail)
            {
                low = k;
            }

            if (cdf >= 1 - tail)
            {
                return (low, k);
            }

            k++;
            p *= lambda / k;
            cdf += p;
        }
    }
}
