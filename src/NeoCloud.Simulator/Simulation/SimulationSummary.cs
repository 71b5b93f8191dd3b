using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.Simulation;

/// <summary>What a whole-fleet run did and how fast: printed by <c>neocloud sim --json</c>.</summary>
public sealed record SimulationSummary(
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("gpus")] int Gpus,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("virtual_hours")] double VirtualHours,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("virtual_hours_per_wall_second")] double VirtualHoursPerWallSecond,
    [property: JsonPropertyName("ticks")] long Ticks,
    [property: JsonPropertyName("peak_working_set_mb")] double PeakWorkingSetMb,
    [property: JsonPropertyName("faults_injected")] int FaultsInjected,
    [property: JsonPropertyName("faults_by_cause")] IReadOnlyDictionary<string, int> FaultsByCause,
    [property: JsonPropertyName("expected_random_faults")] double ExpectedRandomFaults,
    [property: JsonPropertyName("jobs_started")] long JobsStarted,
    [property: JsonPropertyName("jobs_interrupted")] long JobsInterrupted,
    [property: JsonPropertyName("gpu_hours_allocated")] double GpuHoursAllocated,
    [property: JsonPropertyName("mean_allocation_ratio")] double MeanAllocationRatio,
    [property: JsonPropertyName("state_hash")] string StateHash)
{
    /// <summary>How the health pipeline did against the ground truth; null when the run had no health pipeline.</summary>
    [JsonPropertyName("health")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SelfHealing.HealthSummary? Health { get; init; }

    /// <summary>How right the alerts and incidents over the same run were; null when the run had no health pipeline.</summary>
    [JsonPropertyName("alerts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Reliability.AlertSummary? Alerts { get; init; }
}
