using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;

namespace NeoCloud.Health.Tests.Store;

public sealed class HealthStoreRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_gpu_belongs_to_the_node_before_its_last_slash()
    {
        Assert.Equal("euw1-dc2-r07-n03", HealthStoreRules.NodeOfGpu("euw1-dc2-r07-n03/gpu5"));
        Assert.Equal("a/b", HealthStoreRules.NodeOfGpu("a/b/gpu0"));
        Assert.Throws<ArgumentException>(() => HealthStoreRules.NodeOfGpu("gpu5"));
        Assert.Throws<ArgumentException>(() => HealthStoreRules.NodeOfGpu("/gpu5"));
    }

    [Fact]
    public void A_run_fences_its_nodes_and_the_nodes_of_its_gpus_once_each()
    {
        var run = Run(nodes: ["n2", "n1"], gpus: ["n1/gpu0", "n3/gpu1", "n3/gpu2"]);

        Assert.Equal(["n1", "n2", "n3"], HealthStoreRules.NodesOf(run));
        Assert.Empty(HealthStoreRules.NodesOf(Run(nodes: [], gpus: [])));
    }

    [Fact]
    public void Page_sizes_are_kept_between_one_and_a_thousand()
    {
        Assert.Equal(1, Keyset.ClampLimit(0));
        Assert.Equal(1, Keyset.ClampLimit(-5));
        Assert.Equal(250, Keyset.ClampLimit(250));
        Assert.Equal(1000, Keyset.ClampLimit(int.MaxValue));
    }

    [Fact]
    public void A_cursor_decodes_to_the_last_id_and_anything_else_is_refused()
    {
        Assert.Null(Keyset.After(null, "cursor"));
        Assert.Equal("fnd-01J", Keyset.After(Cursor.Encode("fnd-01J"), "cursor"));
        var error = Assert.Throws<ArgumentException>(() => Keyset.After("not a cursor!", "cursor"));
        Assert.Contains("not a cursor!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_missing_a_field_is_refused_with_its_id_and_the_field()
    {
        var finding = new Finding("fnd-7", "XID-79", new ComponentRef(ComponentKind.Gpu, "n1/gpu0"), Severity.Critical, true, T0, T0, "XID 79", []);
        HealthStoreRules.CheckFinding(finding, "findings");

        var noCode = Assert.Throws<ArgumentException>(() => HealthStoreRules.CheckFinding(finding with { Code = " " }, "findings"));
        var noComponent = Assert.Throws<ArgumentException>(() => HealthStoreRules.CheckFinding(finding with { Component = default }, "findings"));
        var badGpu = Assert.Throws<ArgumentException>(() => HealthStoreRules.CheckRun(Run(nodes: [], gpus: ["gpu0"]), "run"));
        var badVersion = Assert.Throws<ArgumentException>(() => HealthStoreRules.CheckRun(Run(nodes: [], gpus: []) with { Version = 0 }, "run"));

        Assert.Contains("fnd-7", noCode.Message, StringComparison.Ordinal);
        Assert.Contains("Code", noCode.Message, StringComparison.Ordinal);
        Assert.Contains("component", noComponent.Message, StringComparison.Ordinal);
        Assert.Contains("gpu0", badGpu.Message, StringComparison.Ordinal);
        Assert.Contains("version 0", badVersion.Message, StringComparison.Ordinal);
        Assert.Equal("findings", noCode.ParamName);
    }

    private static RemediationRun Run(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus) => new(
        "rem-1", "dgn-1", new ComponentRef(ComponentKind.Node, "n1"), nodes, gpus, RemediationStep.Queued, 0, [RemediationAction.RebootNode],
        DrainMode.Immediate, false, false, null, "test", T0, T0, null, 0, [], 1);
}
