using System.Buffers;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Scraping;
using NeoCloud.Simulator.Twin;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Sources;

namespace NeoCloud.Simulator.Tests.Scraping;

public sealed class TwinTelemetrySourceTests
{
    private static readonly NodeId Node = new("euw1-dc1-r01-n01");

    [Fact]
    public async Task The_telemetry_contexts_reader_reads_every_gpu_field_of_a_scraped_twin_page()
    {
        var twin = new FleetTwin(TestFleets.Small, 8, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(10));
        twin.Inject(new FaultRequest(FaultKind.Xid, GpuId.Of(Node, 6).Value, Xid: 79));
        var source = new TwinTelemetrySource(twin);
        var page = new ArrayBufferWriter<byte>();

        await source.ScrapeAsync(new ScrapeTarget(Node.Value, TelemetryFormats.DcgmExporter), page, CancellationToken.None);

        var readings = new List<NeoCloud.Telemetry.Dcgm.GpuReading>();
        new DcgmPageReader().Read(page.WrittenSpan, readings);
        Assert.Equal(8, readings.Count(r => r.Field == DcgmField.GpuTemp));
        Assert.Equal(79, readings.Single(r => r.Field == DcgmField.XidErrors && r.Gpu == 6).Value);
        Assert.All(readings.Where(r => r.Field == DcgmField.XidErrors && r.Gpu != 6), r => Assert.Equal(0, r.Value));
        Assert.Equal(twin.ReadGpu(GpuId.Of(Node, 0)).PowerW, readings.Single(r => r.Field == DcgmField.PowerUsage && r.Gpu == 0).Value, 2);
        Assert.All(readings, r => Assert.Equal(Node.Value, r.Hostname));
    }

    [Fact]
    public async Task Nodes_that_stop_answering_leave_the_targets_and_scrape_empty()
    {
        var twin = new FleetTwin(TestFleets.Small, 8, TestFleets.Quiet);
        var source = new TwinTelemetrySource(twin);
        Assert.Equal(twin.Topology.Nodes.Count * 2, source.Targets.Count);

        twin.Inject(new FaultRequest(FaultKind.HeartbeatLoss, Node.Value));

        Assert.Equal((twin.Topology.Nodes.Count - 1) * 2, source.Targets.Count);
        Assert.DoesNotContain(source.Targets, t => t.Node == Node.Value);
        var page = new ArrayBufferWriter<byte>();
        await source.ScrapeAsync(new ScrapeTarget(Node.Value, TelemetryFormats.IbPortCounters), page, CancellationToken.None);
        Assert.Equal(0, page.WrittenCount);
        Assert.False(source.Heartbeat(Node).Alive);
    }
}
