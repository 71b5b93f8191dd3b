using NeoCloud.Kernel.Manifests;
using NeoCloud.Plugins.Manifest;

namespace NeoCloud.Plugins.Tests.Manifest;

public sealed class PluginManifestReaderTests
{
    internal const string Slurm = """
        apiVersion: neocloud.dev/v1
        kind: Plugin
        metadata: { name: slurm-executor, version: 1.2.0, owner: platform-team }
        spec:
          pluginKind: executor
          tiers: [region]
          entry: { assembly: NeoCloud.Adapters.Slurm }
          permissions: [nodes:drain, jobs:run]
          config:
            endpoint: http://127.0.0.1:6820
            poll: 5s
          domain:
            partitions: [gpu, debug]
        """;

    [Fact]
    public void The_design_documents_example_manifest_is_read_whole()
    {
        var m = PluginManifestReader.Parse(Slurm);

        Assert.Equal("slurm-executor", m.Name);
        Assert.Equal("1.2.0", m.Version);
        Assert.Equal(PluginKind.Executor, m.Kind);
        Assert.Equal([PluginTier.Region], m.Tiers);
        Assert.True(m.Entry.InProcess);
        Assert.Equal(["nodes:drain", "jobs:run"], m.Permissions);
        Assert.Equal("5s", m.Config["poll"]);
        Assert.Equal("gpu,debug", m.Domain["partitions"]);
    }

    [Fact]
    public void An_out_of_process_plugin_names_its_command()
    {
        var m = PluginManifestReader.Parse(Slurm.Replace("{ assembly: NeoCloud.Adapters.Slurm }", "{ command: [./my-plugin, --stdio] }"));

        Assert.False(m.Entry.InProcess);
        Assert.Equal(["./my-plugin", "--stdio"], m.Entry.Command);
    }

    [Fact]
    public void A_bad_manifest_lists_every_problem_with_its_line()
    {
        string bad = Slurm
            .Replace("version: 1.2.0", "version: latest")
            .Replace("pluginKind: executor", "pluginKind: scheduler")
            .Replace("tiers: [region]", "tiers: [region, moon]")
            .Replace("jobs:run", "run-jobs");

        var ex = Assert.Throws<SpecException>(() => PluginManifestReader.Parse(bad));

        Assert.Contains(ex.Errors, e => e.Path == "metadata.version" && e.Line == 3);
        Assert.Contains(ex.Errors, e => e.Path == "spec.pluginKind" && e.Line == 5 && e.Message.Contains("scheduling-policy", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "spec.tiers" && e.Message.Contains("moon", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "spec.permissions" && e.Line == 8);
    }

    [Fact]
    public void Both_or_neither_entry_kind_is_refused()
    {
        var ex = Assert.Throws<SpecException>(() => PluginManifestReader.Parse(Slurm.Replace("{ assembly: NeoCloud.Adapters.Slurm }", "{ assembly: X, command: [y] }")));

        Assert.Contains(ex.Errors, e => e.Message.Contains("exactly one", StringComparison.Ordinal));
    }
}
