using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RunbookCatalog Catalog = new([SampleRunbooks.Drain, RunbookManifestReader.Parse("""
        apiVersion: neocloud.dev/v1
        kind: Runbook
        metadata: { name: manual-only }
        spec:
          steps: [{ name: one, action: notify, with: { message: hi } }]
        """)]);

    [Fact]
    public void A_firing_alert_that_matches_triggers_the_runbook_with_parameters_from_its_labels()
    {
        var alert = Alert.Firing(Now, ("alertname", "node-down"), ("severity", "page"), ("node", "euw1-n7"));

        var match = Assert.Single(Catalog.Triggered(alert, Now));

        Assert.True(match.IsTriggered);
        Assert.Equal("drain-node", match.Runbook.Name);
        Assert.Equal("euw1-n7", match.Parameters["node"]);
        Assert.Equal("r1", match.Parameters["level"]);
    }

    [Fact]
    public void An_alert_that_fails_one_matcher_triggers_nothing()
    {
        Assert.Empty(Catalog.Triggered(Alert.Firing(Now, ("alertname", "node-down"), ("severity", "ticket"), ("node", "n1")), Now));
        Assert.Empty(Catalog.Triggered(Alert.Firing(Now, ("alertname", "gpu-hot"), ("severity", "page"), ("node", "n1")), Now));
    }

    [Fact]
    public void An_alert_without_the_label_a_required_parameter_needs_is_not_triggered_and_says_why()
    {
        var match = Assert.Single(Catalog.Triggered(Alert.Firing(Now, ("alertname", "node-down"), ("severity", "critical")), Now));

        Assert.False(match.IsTriggered);
        Assert.Contains("parameter 'node'", match.NotTriggeredReason, StringComparison.Ordinal);
        Assert.Contains("no label 'node'", match.NotTriggeredReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolved_alert_triggers_nothing()
    {
        var alert = Alert.Firing(Now.AddHours(-1), ("alertname", "node-down"), ("severity", "page"), ("node", "n1")).ResolvedAt(Now.AddMinutes(-1));

        Assert.Empty(Catalog.Triggered(alert, Now));
    }

    [Fact]
    public void With_replaces_a_runbook_of_the_same_name_and_keeps_the_others()
    {
        var changed = SampleRunbooks.Drain with { Description = "changed" };

        var catalog = Catalog.With(changed);

        Assert.Equal(["drain-node", "manual-only"], catalog.All.Select(r => r.Name));
        Assert.Equal("changed", catalog.Find("drain-node")!.Description);
        Assert.Equal("cordon, drain and diagnose", Catalog.Find("drain-node")!.Description);
    }
}
