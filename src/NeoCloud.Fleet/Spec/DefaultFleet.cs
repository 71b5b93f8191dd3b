namespace NeoCloud.Fleet.Spec;

/// <summary>The fleet NeoCloud runs on out of the box, and the same shape scaled to any size for the twin and benchmarks.</summary>
public static class DefaultFleet
{
    /// <summary>The default fleet file's text: 2 regions, 3 sites, about a thousand nodes.</summary>
    public static string Yaml { get; } = ReadResource();

    public static FleetSpec Spec { get; } = FleetSpecReader.Parse(Yaml);

    // Counted once, on first use: scaling only needs the default fleet's size, not a fresh copy of it.
    private static readonly Lazy<int> DefaultNodeCount = new(() => FleetGenerator.Generate(Spec).Nodes.Count);

    /// <summary>The default fleet's shape with racks scaled so the fleet has about <paramref name="nodes"/> nodes.</summary>
    public static FleetSpec ScaledTo(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        double factor = nodes / (double)DefaultNodeCount.Value;
        var regions = Spec.Regions.Select(r => r with
        {
            Sites = r.Sites.Select(s => s with { RacksPerPod = Math.Max(1, (int)Math.Round(s.RacksPerPod * factor)) }).ToList(),
        }).ToList();
        return new FleetSpec($"default-x{nodes}", regions);
    }

    private static string ReadResource()
    {
        using var stream = typeof(DefaultFleet).Assembly.GetManifestResourceStream("NeoCloud.Fleet.default-fleet.yaml")
            ?? throw new InvalidOperationException("The default fleet file is not embedded in NeoCloud.Fleet.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
