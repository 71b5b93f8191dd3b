using NeoCloud.Health.Catalog;

namespace NeoCloud.Health.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Every_xid_of_nvidias_list_and_every_rule_is_in_the_catalogue()
    {
        var catalog = FaultCatalog.Default;
        Assert.Equal(161, catalog.XidCount);
        Assert.Equal(RemedyHint.RebootNode, catalog.Xid(79).Remedy);
        Assert.True(catalog.Xid(79).Fatal);
        Assert.Equal(RemedyHint.RestartApplication, catalog.Xid(13).Remedy);
        Assert.False(catalog.Xid(13).Fatal);
        Assert.True(catalog.Get("IB-LINK-DOWNED").Fatal);
        Assert.Equal(RemedyHint.Drain, catalog.Get("STRAGGLER").Remedy);
    }

    [Fact]
    public void An_unknown_xid_is_treated_as_fatal_and_diagnosed()
    {
        var unknown = FaultCatalog.Default.Xid(9999);
        Assert.True(unknown.Fatal);
        Assert.Equal(RemedyHint.Diagnose, unknown.Remedy);
    }

    [Fact]
    public void A_bad_rule_is_rejected_with_its_line()
    {
        var csv = new StringReader("xid,name,immediate_action,fatality\n79,OFF_BUS,RESTART_BM,FATAL\n");
        var yaml = new StringReader("rules:\n  - { code: X, name: x, source: Nowhere, scope: Gpu, severity: Info, fatal: false, remedy: None, description: d }\n");
        var ex = Assert.Throws<FormatException>(() => FaultCatalog.Load(csv, yaml));
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("source", ex.Message, StringComparison.Ordinal);
    }
}
