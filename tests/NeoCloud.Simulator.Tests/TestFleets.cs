using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests;

/// <summary>Fleets shared by the tests: generation is deterministic, so one instance per size is enough.</summary>
internal static class TestFleets
{
    private static readonly Lazy<FleetTopology> SmallFleet = new(() => FleetGenerator.Generate(DefaultFleet.ScaledTo(100)));
    private static readonly Lazy<FleetTopology> LargeFleet = new(() => FleetGenerator.Generate(DefaultFleet.ScaledTo(10_000)));

    /// <summary>About a hundred nodes in the default fleet's shape (has euw1-dc1-r01-n01, euw1-dc1-su1-l01-r0, euw1-dc1-r02-pdu1).</summary>
    public static FleetTopology Small => SmallFleet.Value;

    /// <summary>The default fleet's shape at about ten thousand nodes.</summary>
    public static FleetTopology Large => LargeFleet.Value;

    /// <summary>No synthetic load and no random faults: only what a test does happens.</summary>
    public static SimulationOptions Quiet { get; } = new() { SyntheticLoad = false, RandomFaults = false };

    /// <summary>Random faults off, synthetic load on.</summary>
    public static SimulationOptions LoadOnly { get; } = new() { RandomFaults = false };
}
