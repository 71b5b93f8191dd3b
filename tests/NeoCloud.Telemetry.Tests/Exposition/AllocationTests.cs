using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;
using NeoCloud.Telemetry.Tests.Dcgm;

namespace NeoCloud.Telemetry.Tests.Exposition;

/// <summary>
/// Allocation is asserted, not timed: a warm batch must read a page without allocating, however
/// many samples it has (the 64-GPU page has eight times the samples of the 8-GPU one).
/// </summary>
public sealed class AllocationTests
{
    [Fact]
    public void Reading_a_warm_page_allocates_nothing_whatever_its_size()
    {
        long fixture = AllocatedBySecondParse(TestPages.H100Fixture());
        long eightGpus = AllocatedBySecondParse(TestPages.Rendered(TestPages.Gpus(8)));
        long sixtyFourGpus = AllocatedBySecondParse(TestPages.Rendered(TestPages.Gpus(64)));

        Assert.Equal(0, fixture);
        Assert.Equal(0, eightGpus);
        Assert.Equal(0, sixtyFourGpus);
    }

    [Fact]
    public void Mapping_a_warm_page_to_gpu_readings_allocates_nothing_whatever_its_size()
    {
        Assert.Equal(0, AllocatedBySecondRead(TestPages.Rendered(TestPages.Gpus(8))));
        Assert.Equal(0, AllocatedBySecondRead(TestPages.Rendered(TestPages.Gpus(64))));
    }

    [Fact]
    public void Writing_a_page_allocates_nothing_but_the_buffer()
    {
        DcgmGpuLabels[] gpus = TestPages.Gpus(64);
        double[] values = new double[gpus.Length];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        var writer = new DcgmExporterWriter(buffer);
        writer.WriteFamily(DcgmField.PowerUsage, gpus, values);
        buffer.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        writer.WriteFamily(DcgmField.PowerUsage, gpus, values);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static long AllocatedBySecondParse(byte[] page)
    {
        var batch = new SampleBatch();
        long cold = GC.GetAllocatedBytesForCurrentThread();
        PrometheusTextParser.Parse(page, batch);
        // The cold parse interns strings: proof that the counter sees this thread's allocations.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() > cold);
        PrometheusTextParser.Parse(page, batch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        PrometheusTextParser.Parse(page, batch);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long AllocatedBySecondRead(byte[] page)
    {
        var reader = new DcgmPageReader();
        var readings = new List<GpuReading>(4096);
        reader.Read(page, readings);
        readings.Clear();
        reader.Read(page, readings);
        readings.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        reader.Read(page, readings);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
