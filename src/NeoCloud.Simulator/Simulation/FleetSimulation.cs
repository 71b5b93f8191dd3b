using System.Diagnostics;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.SelfHealing;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Simulation;

/// <summary>Runs a whole fleet's twin for a virtual duration as fast as it can and reports what happened.</summary>
public static class FleetSimulation
{
    public static SimulationSummary Run(FleetTopology topology, int seed, TimeSpan duration, SimulationOptions options, CancellationToken cancellationToken) =>
        Run(topology, seed, duration, options, null, cancellationToken);

    public static SimulationSummary Run(
        FleetTopology topology, int seed, TimeSpan duration, SimulationOptions options, FaultScript? script, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var twin = new FleetTwin(topology, seed, options);
        if (script is not null)
        {
            twin.Schedule(script);
        }

        twin.RunFor(duration, cancellationToken);
        wall.Stop();
        return Summarize(twin, seed, wall.Elapsed);
    }

    /// <summary>
    /// Runs the twin with NeoCloud's health pipeline after every tick (detection, diagnosis, remediation) and scores it
    /// against the ground truth: the summary carries a <see cref="SimulationSummary.Health"/> object. Placement in the
    /// twin then sees only what the pipeline fenced, and interrupted work restarts, so recovery depends on the pipeline.
    /// </summary>
    public static SimulationSummary RunSelfHealing(
        FleetTopology topology, int seed, TimeSpan duration, SimulationOptions options, FaultScript? script, SelfHealingSettings? settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wall = Stopwatch.StartNew();
        var twin = new FleetTwin(topology, seed, options with { PlacementSeesFaults = false, RestartInterruptedWork = true });
        if (script is not null)
        {
            twin.Schedule(script);
        }

        var loop = new SelfHealingLoop(twin, settings);
        loop.RunFor(duration, cancellationToken);
        wall.Stop();
        return Summarize(twin, seed, wall.Elapsed) with { Health = loop.Summarize(), Alerts = loop.SummarizeAlerts() };
    }

    /// <summary>The summary of a twin that has run; <paramref name="wall"/> is the wall time it took.</summary>
    public static SimulationSummary Summarize(FleetTwin twin, int seed, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(twin);
        double hours = (twin.Now - twin.Options.Start).TotalHours;
        var byCause = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in twin.GroundTruth)
        {
            string key = f.Cause.ToString();
            byCause[key] = byCause.GetValueOrDefault(key) + 1;
        }

        using var process = Process.GetCurrentProcess();
        double seconds = Math.Max(wall.TotalSeconds, 1e-9);
        return new SimulationSummary(
            twin.Topology.Nodes.Count,
            twin.Topology.GpuCount,
            seed,
            Math.Round(hours, 4),
            Math.Round(wall.TotalSeconds, 3),
            Math.Round(hours / seconds, 3),
            twin.Ticks,
            Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024.0), 1),
            twin.GroundTruth.Count,
            byCause,
            Math.Round(twin.ExpectedRandomFaultsPerHour * hours, 2),
            twin.Workload.SyntheticJobsStarted,
            twin.Workload.SyntheticJobsInterrupted,
            Math.Round(twin.AllocatedGpuHours, 2),
            Math.Round(twin.MeanAllocationRatio, 4),
            twin.ComputeStateHash());
    }
}
