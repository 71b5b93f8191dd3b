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
        var tick = new Option<double>("--tick") { Description = "Seconds of virtual time per tick, which is also the scrape interval the health pipeline sees.", DefaultValueFactory = _ => 10.0 };
        var noHealth = new Option<bool>("--no-health") { Description = "Run the twin alone (its placement then never uses broken hardware), without NeoCloud's health pipeline." };

        var sim = new Command("sim", "Run the digital twin headless and print a summary.") { nodes, hours, seed, fleet, script, faultRate, threads, json, tick, noHealth };
        sim.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;

            // Checked here rather than in a command validator: validators do not see the options' default values.
            var problems = new List<string>();
            if (parseResult.GetValue(hours) is <= 0 or > 24 * 366)
            {
                problems.Add("--hours must be more than 0 and at most a year (8784).");
            }

            if (parseResult.GetValue(nodes) is < 1 or > 200_000)
            {
                problems.Add("--nodes must be between 1 and 200000.");
            }

            if (parseResult.GetValue(nodes) is not null && parseResult.GetValue(fleet) is not null)
            {
                problems.Add("Give --nodes or --fleet, not both.");
            }

            if (parseResult.GetValue(tick) is < 1 or > 600)
            {
                problems.Add("--tick must be between 1 and 600 seconds.");
            }

            if (parseResult.GetValue(faultRate) < 0)
            {
                problems.Add("--fault-rate must not be negative.");
            }

            if (problems.Count > 0)
            {
                problems.ForEach(p => error.WriteLine($"neocloud sim: {p}"));
                return Task.FromResult(1);
            }

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
                    Tick = TimeSpan.FromSeconds(parseResult.GetValue(tick)),
                };
                var topology = FleetGenerator.Generate(spec);
                var duration = TimeSpan.FromHours(parseResult.GetValue(hours));
                var summary = parseResult.GetValue(noHealth)
                    ? FleetSimulation.Run(topology, parseResult.GetValue(seed), duration, options, faults, cancellationToken)
                    : FleetSimulation.RunSelfHealing(topology, parseResult.GetValue(seed), duration, options, faults, null, cancellationToken);
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
        if (s.Health is { } h)
        {
            lines.Add(string.Create(c, $"health          {h.FaultsDetected} of {h.FaultsInjected} faults detected; missed: {h.MissedFatal} fatal, {h.MissedNonFatal} non-fatal; {h.Undecided} too recent to judge"));
            lines.Add(string.Create(c, $"  MTTD          p50 {h.Mttd.P50:N1} s, p95 {h.Mttd.P95:N1} s"));
            lines.Add(string.Create(c, $"  MTTM          p50 {h.Mttm.P50:N1} s, p95 {h.Mttm.P95:N1} s (single-GPU faults: p95 {h.MttmSingleGpu.P95:N1} s)"));
            lines.Add(string.Create(c, $"  MTTR          p50 {h.Mttr.P50 / 60:N1} min, p95 {h.Mttr.P95 / 60:N1} min"));
            lines.Add(string.Create(c, $"  actions       {h.ActionsTotal} ({h.ActionsFalsePositive} with no fault behind them); safety budget exceeded {h.SafetyBudgetExceeded} times; {h.Pages} pages"));
            lines.Add(string.Create(c, $"  work lost     {h.GpuHoursLost:N1} GPU-hours; {h.JobsRestarted:N0} jobs restarted"));
        }

        if (s.Alerts is { } a)
        {
            lines.Add(string.Create(c, $"alerts          {a.Raised} raised, {a.TruePositive} true (precision {a.Precision:P1}); recall {a.Recall:P1} of {a.PageWorthy} page-worthy events; {a.Incidents} incidents, {a.IncidentsPerFault:N2} per fault"));
        }

        lines.Add($"state hash      {s.StateHash}");
        return string.Join(Environment.NewLine, lines);
    }
}
