using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeoCloud.Fleet.Spec;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Simulator;

/// <summary><c>neocloud sim</c>: runs the twin headless, as fast as it can, and prints what happened (JSON with <c>--json</c>).</summary>
public static class SimCommand
{
    public static Command Create()
    {
        var nodes = new Option<int?>("--nodes") { Description = "Scale the default fleet's shape to about this many nodes (default: the default fleet, 936 nodes)." };
        var hours = new Option<double>("--hours") { Description = "Virtual hours to simulate.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed, fleet and script give the same run.", DefaultValueFactory = _ => 1 };
        var fleet = new Option<FileInfo?>("--fleet") { Description = "A kind: Fleet file instead of the default fleet." };
        var script = new Option<FileInfo?>("--script") { Description = "A kind: FaultScript file of faults to inject on schedule." };
        var faultRate = new Option<double>("--fault-rate") { Description = "Multiplier of the random fault rates (0 turns them off).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Worker threads for the GPU update (results do not depend on it)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON for scripts and benchmarks." };

        var sim = new Command("sim", "Run the digital twin headless and print a summary.") { nodes, hours, seed, fleet, script, faultRate, threads, json };
        sim.Validators.Add(result =>
        {
            if (result.GetValue(hours) is <= 0 or > 24 * 366)
            {
                result.AddError("--hours must be more than 0 and at most a year (8784).");
            }

            if (result.GetValue(nodes) is < 1 or > 200_000)
            {
                result.AddError("--nodes must be between 1 and 200000.");
            }

            if (result.GetValue(nodes) is not null && result.GetValue(fleet) is not null)
            {
                result.AddError("Give --nodes or --fleet, not both.");
            }

            if (result.GetValue(faultRate) < 0)
            {
                result.AddError("--fault-rate must not be negative.");
            }
        });
        sim.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var spec = parseResult.GetValue(fleet) is { } f ? FleetSpecReader.ReadFile(f.FullName)
                    : parseResult.GetValue(nodes) is { } n ? DefaultFleet.ScaledTo(n)
                    : DefaultFleet.Spec;
                var faults = parseResult.GetValue(script) is { } s ? FaultScriptReader.ReadFile(s.FullName) : null;
                double rate = parseResult.GetValue(faultRate);
                var options = new SimulationOptions
                {
                    FaultRateMultiplier = rate,
                    RandomFaults = rate > 0,
                    MaxDegreeOfParallelism = parseResult.GetValue(threads) ?? Environment.ProcessorCount,
                };
                var topology = FleetGenerator.Generate(spec);
                var summary = FleetSimulation.Run(
                    topology, parseResult.GetValue(seed), TimeSpan.FromHours(parseResult.GetValue(hours)), options, faults, cancellationToken);
                output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, JsonOptions) : Describe(summary));
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is SpecException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"neocloud sim: {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return sim;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static string Describe(SimulationSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"fleet           {s.Nodes:N0} nodes, {s.Gpus:N0} GPUs (seed {s.Seed})"),
            string.Create(c, $"simulated       {s.VirtualHours:N1} virtual hours in {s.WallSeconds:N2} s wall ({s.VirtualHoursPerWallSecond:N1} virtual h/s, {s.Ticks:N0} ticks)"),
            string.Create(c, $"peak memory     {s.PeakWorkingSetMb:N0} MB"),
            string.Create(c, $"allocation      {s.MeanAllocationRatio:P1} of GPUs on average, {s.GpuHoursAllocated:N0} GPU-hours; {s.JobsStarted:N0} jobs started, {s.JobsInterrupted:N0} interrupted"),
            string.Create(c, $"faults          {s.FaultsInjected} injected ({s.ExpectedRandomFaults:N1} random interruptions expected)"),
        };
        lines.AddRange(s.FaultsByCause.Select(kv => string.Create(c, $"  {kv.Key,-22}{kv.Value,5}")));
        lines.Add($"state hash      {s.StateHash}");
        return string.Join(Environment.NewLine, lines);
    }
}
