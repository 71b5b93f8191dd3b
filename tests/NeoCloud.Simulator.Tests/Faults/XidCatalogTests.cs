using NeoCloud.Simulator.Faults;

namespace NeoCloud.Simulator.Tests.Faults;

public sealed class XidCatalogTests
{
    [Fact]
    public void The_embedded_catalogue_has_every_xid_with_its_fatality_and_action()
    {
        Assert.Equal(161, XidCatalog.Count);
        Assert.Equal(new XidInfo(79, "ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS", "RESTART_BM", true), XidCatalog.Get(79));
        Assert.False(XidCatalog.Get(13).Fatal);
        Assert.Equal("ROBUST_CHANNEL_GR_EXCEPTION / ROBUST_CHANNEL_GR_ERROR_SW_NOTIFY", XidCatalog.Get(13).Name);
    }
}
