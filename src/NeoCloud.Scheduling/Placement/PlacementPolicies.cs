using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement.Scores;

namespace NeoCloud.Scheduling.Placement;

/// <summary>Our placement policy (<c>neocloud</c>) and, for comparison, those of the ATC'23 fragmentation study, all built from our plugins.</summary>
public static class PlacementPolicies
{
    /// <summary>Weight of best fit in the fgd and neocloud policies: small enough to act only where the main score ties.</summary>
    public const double FgdTieBreakWeight = 0.001;

    /// <summary>NeoCloud's own placement policy: FGD with stranded-GPU, scarce-shape and share-hole terms. The study's six stay for comparison.</summary>
    public const string Ours = "neocloud";

    /// <summary>Weight of the GPUs a placement strands for want of CPU or memory, against FGD's milli-GPU (1: a stranded GPU costs as much as a fragmented one).</summary>
    public const double StrandedWeight = 1;

    /// <summary>
    /// Weight of the rare shapes a placement stops a node hosting: taking the last host of a shape costs its share of the
    /// GPU demand times this, in milli-GPU. Chosen on the openb workloads (seeds 1–4, so tuned to them): 3e5 still let the 120-core 8-GPU
    /// tasks of multigpu50 fail early, 1e6–3e6 keep them and leave default and gpushare100 where they were.
    /// </summary>
    public const double ScarceWeight = 2_000_000;

    /// <summary>
    /// Bonus per milli-GPU of the gap a share closes on a GPU another share already uses (<see cref="ShareHoles"/>).
    /// Chosen on the openb workloads (seeds 1–4: 0.5–3 all lift default by 0.06–0.08 points), confirmed on seeds 5–10 and 42.
    /// </summary>
    public const double HoleWeight = 2;

    /// <summary>Our policy names: the study's six in the order of its figures, then ours.</summary>
    public static IReadOnlyList<string> Names { get; } = ["random", "dotprod", "gpuclustering", "gpupacking", "bestfit", "fgd", Ours];

    /// <summary>The name a policy has in the study's <c>expected_allocation_rate.csv</c> (<c>06-FGD</c> for <c>fgd</c>).</summary>
    public static string ReferenceName(string name) => Normalize(name) switch
    {
        "random" => "01-Random",
        "dotprod" => "02-DotProd",
        "gpuclustering" => "03-GpuClustering",
        "gpupacking" => "04-GpuPacking",
        "bestfit" => "05-BestFit",
        "fgd" => "06-FGD",
        _ => throw new ArgumentException($"no published curve for policy '{name}' (the study's: {string.Join(", ", Names.Where(n => n != Ours))})", nameof(name)),
    };

    /// <summary>Builds a policy on a snapshot; FGD needs the typical tasks of the workload.</summary>
    public static PlacementPolicy Create(string name, ClusterSnapshot snapshot, TypicalTasks typical)
    {
        var binder = new TightestGpuBinder();
        switch (Normalize(name))
        {
            case "random":
                return new PlacementPolicy("random", [], binder);
            case "dotprod":
                return new PlacementPolicy("dotprod", [new WeightedScore(new DotProduct(), 1)], binder);
            case "gpuclustering":
                return new PlacementPolicy("gpuclustering", [new WeightedScore(new GpuClustering(), 1)], binder);
            case "gpupacking":
                return new PlacementPolicy("gpupacking", [new WeightedScore(new GpuPacking(), 1)], binder);
            case "bestfit":
                return new PlacementPolicy("bestfit", [new WeightedScore(new BestFit(), 1)], binder);
            case "fgd":
                var fgd = new FragmentationGradient(snapshot, typical);
                // Many nodes leave the fragmentation exactly unchanged (an empty node taking a whole GPU, say); a random pick
                // among them scatters load. Best fit at a tiny weight only breaks those ties, toward packing.
                return new PlacementPolicy("fgd", [new WeightedScore(fgd, 1), new WeightedScore(new BestFit(), FgdTieBreakWeight)], fgd);
            case Ours:
                // FGD, plus what it cannot see one task at a time: GPUs stranded for want of CPU or memory, and rare shapes
                // (big multi-GPU tasks, scarce GPU models) losing their last hosts; and a bonus for a share that closes a GPU
                // another share already uses. All in milli-GPU, so one score.
                var ours = new FragmentationGradient(snapshot, typical, StrandedWeight, ScarceWeight, HoleWeight);
                return new PlacementPolicy(Ours, [new WeightedScore(ours, 1), new WeightedScore(new BestFit(), FgdTieBreakWeight)], ours);
            default:
                throw new ArgumentException($"unknown policy '{name}' (known: {string.Join(", ", Names)})", nameof(name));
        }
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
