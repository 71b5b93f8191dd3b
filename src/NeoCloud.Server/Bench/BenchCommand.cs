using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Openb;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Server.Bench;

/// <summary><c>neocloud bench</c>: whole-system benchmarks that run our real code and print a table (JSON with <c>--json</c>).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Whole-system benchmarks.");
        bench.Subcommands.Add(CreateOpenb());
        bench.Subcommands.Add(ReplayBench.Create());
        bench.Subcommands.Add(SchedulerBench.Create());
        return bench;
    }

    private static Command CreateOpenb()
    {
        var nodes = new Option<FileInfo>("--nodes") { Description = "The openb node list CSV (sn,cpu_milli,memory_mib,gpu,model).", Required = true };
        var pods = new Option<FileInfo>("--pods") { Description = "An openb pod list CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec]).", Required = true };
        var inflation = new Option<double>("--inflation") { Description = "GPU demand as a multiple of GPU capacity (1.3 = 130%).", DefaultValueFactory = _ => 1.3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the arrival order and of ties.", DefaultValueFactory = _ => 42 };
        var policy = new Option<string>("--policy")
        {
            Description = $"Placement policy: {string.Join("|", PlacementPolicies.Names)}, or {OpenbProtocol.GangPlacerPolicy} (the job flow's topology gang placer).",
            DefaultValueFactory = _ => PlacementPolicies.Ours,
        };
        policy.AcceptOnlyFromAmong([.. PlacementPolicies.Names, OpenbProtocol.GangPlacerPolicy]);
        var candidates = new Option<int>("--candidates")
        {
            Description = $"With --policy {OpenbProtocol.GangPlacerPolicy}: candidate nodes its scorer ranks per task (1..{TopologyGangPlacer.MaxScorerCandidates}).",
            DefaultValueFactory = _ => TopologyGangPlacer.DefaultScorerCandidates,
        };
        var expected = new Option<FileInfo?>("--expected") { Description = "The published curves (default: expected_allocation_rate.csv beside the pods file, if there)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };

        var openb = new Command("openb", "Run the ATC'23 openb placement protocol through our placement pipeline and compare with the published curves.")
        {
            nodes, pods, inflation, seed, policy, candidates, expected, json,
        };
        openb.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var podsFile = parseResult.GetValue(pods)!;
                if (parseResult.GetValue(inflation) is <= 0 or > 10 or double.NaN)
                {
                    error.WriteLine("neocloud bench openb: --inflation must be more than 0 and at most 10.");
                    return Task.FromResult(1);
                }

                if (parseResult.GetValue(candidates) is < 1 or > TopologyGangPlacer.MaxScorerCandidates)
                {
                    error.WriteLine($"neocloud bench openb: --candidates must be between 1 and {TopologyGangPlacer.MaxScorerCandidates}.");
                    return Task.FromResult(1);
                }

                var options = new OpenbOptions(parseResult.GetValue(inflation), parseResult.GetValue(seed), parseResult.GetValue(policy)!, parseResult.GetValue(candidates));
                var clock = Stopwatch.StartNew();
                var nodeList = OpenbTrace.ReadNodesFile(parseResult.GetValue(nodes)!.FullName);
                var taskList = OpenbTrace.ReadPodsFile(podsFile.FullName);
                var result = OpenbProtocol.Run(nodeList, taskList, options, cancellationToken);
                double wall = clock.Elapsed.TotalSeconds;

                string workload = Path.GetFileNameWithoutExtension(podsFile.Name);
                string? expectedPath = parseResult.GetValue(expected)?.FullName
                    ?? (podsFile.DirectoryName is { } dir && File.Exists(Path.Combine(dir, "expected_allocation_rate.csv")) ? Path.Combine(dir, "expected_allocation_rate.csv") : null);
                var reference = expectedPath is null ? [] : ReferenceCurves.Read(expectedPath, workload);
                output.WriteLine(parseResult.GetValue(json) ? Json(result, wall, workload, reference) : Table(result, wall, workload, reference));
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is OpenbFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"neocloud bench openb: {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return openb;
    }

    private static string Json(OpenbResult result, double wall, string workload, IReadOnlyList<KeyValuePair<string, double[]>> reference)
    {
        var rates = new JsonObject();
        for (int x = 0; x < result.AllocationRate.Count; x++)
        {
            rates[x.ToString(CultureInfo.InvariantCulture)] = result.AllocationRate[x] is { } r ? Math.Round(r, 4) : null;
        }

        var doc = new JsonObject
        {
            ["allocation_rate"] = rates,
            ["wall_seconds"] = Math.Round(wall, 3),
            ["placed"] = result.Placed,
            ["failed"] = result.Failed,
            ["workload"] = workload,
            ["policy"] = result.Policy,
            ["seed"] = result.Seed,
            ["originals"] = result.Originals,
            ["clones"] = result.Clones,
            ["gpu_capacity_milli"] = result.GpuCapacityMilli,
            ["first_failure_arrival_percent"] = result.FirstFailureArrivalPercent is { } first ? Math.Round(first, 2) : null,
            ["unplaceable"] = result.Unplaceable,
        };
        if (reference.Count > 0)
        {
            var refs = new JsonObject();
            foreach (var (name, curve) in reference)
            {
                refs[name] = new JsonObject { ["130"] = Math.Round(curve[^1], 2) };
            }

            doc["reference_at_130"] = refs;
        }

        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Table(OpenbResult result, double wall, string workload, IReadOnlyList<KeyValuePair<string, double[]>> reference)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"openb {workload}: policy {result.Policy}, seed {result.Seed}, {result.Originals:N0} tasks + {result.Clones:N0} clones; {result.Placed:N0} placed, {result.Failed:N0} failed; {wall:N2} s wall");
        text.Append(c, $"{"arrival%",8} {"ours",8}");
        foreach (var (name, _) in reference)
        {
            text.Append(c, $" {name,16}");
        }

        text.AppendLine();
        for (int x = 0; x <= OpenbResult.MaxArrivalPercent; x += 10)
        {
            text.Append(c, $"{x,8} {Format(result.AllocationRate[x]),8}");
            foreach (var (_, curve) in reference)
            {
                text.Append(c, $" {Format(x < curve.Length ? curve[x] : null),16}");
            }

            text.AppendLine();
        }

        var best = reference.Where(r => r.Key.EndsWith("FGD", StringComparison.Ordinal)).Select(r => r.Value).FirstOrDefault();
        if (best is not null)
        {
            var below = Enumerable.Range(0, Math.Min(best.Length, result.AllocationRate.Count))
                .Where(x => result.AllocationRate[x] is { } ours && ours < best[x] - 0.005)
                .ToList();
            // Before our first failure of a task some node could host, every such task that arrived was placed: the curve
            // there is the arrival order's (our seeded shuffle is not the artifact's, and tasks no node can host fail
            // wherever the shuffle puts them); no placement could be higher. Those levels are counted apart.
            double firstFailure = result.FirstFailureArrivalPercent ?? double.PositiveInfinity;
            var byPlacement = below.Where(x => x >= Math.Floor(firstFailure)).ToList();
            var byOrder = below.Count - byPlacement.Count;
            text.AppendLine(c, $"first failure of a task some node could host: {(result.FirstFailureArrivalPercent is { } f ? string.Create(c, $"{f:F2}% arrival") : "none")}; {result.Unplaceable} task(s) no node can host");
            text.AppendLine(byPlacement.Count == 0
                ? "at or above FGD at every arrival level from our first failure on"
                : $"below FGD at {byPlacement.Count} arrival level(s) from our first failure on: {string.Join(", ", byPlacement.Select(x => string.Create(c, $"{x} ({result.AllocationRate[x]:F2} < {best[x]:F2})")))}");
            if (byOrder > 0)
            {
                text.AppendLine(c, $"below FGD by arrival order only (every hostable task arrived was placed) at {byOrder} level(s) before it");
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
