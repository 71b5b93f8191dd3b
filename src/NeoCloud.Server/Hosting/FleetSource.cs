using Microsoft.Extensions.Options;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Server.Hosting;

/// <summary>
/// The fleet this host runs: the configured fleet file or the built-in default, generated once. Generation is
/// deterministic, so the topology the twin simulates is the one imported into the store.
/// </summary>
public sealed class FleetSource
{
    private readonly Lazy<FleetTopology> _topology;

    public FleetSource(IOptions<NeoCloudHostOptions> options)
    {
        string? file = options.Value.FleetFile;
        Description = string.IsNullOrEmpty(file) ? "the built-in default" : file;
        _topology = new(() => FleetGenerator.Generate(string.IsNullOrEmpty(file) ? DefaultFleet.Spec : FleetSpecReader.ReadFile(file)));
    }

    /// <summary>A fleet given directly (tests, embedding hosts).</summary>
    public FleetSource(FleetTopology topology, string description)
    {
        _topology = new(topology);
        Description = description;
    }

    public FleetTopology Topology => _topology.Value;

    public string Description { get; }
}
