using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Plugins.Manifest;
using NeoCloud.Telemetry.Collection;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Sources;

namespace NeoCloud.Telemetry.Tests.Collection;

public sealed class TelemetryCollectorTests
{
    private const string Manifest = """
        apiVersion: neocloud.dev/v1
        kind: Plugin
        metadata: { name: fixed-pages, version: 1.0.0 }
        spec:
          pluginKind: telemetry-source
          tiers: [edge]
          entry: { assembly: Tests }
        """;

    [Fact]
    public async Task Concurrent_rounds_never_corrupt_each_others_pages()
    {
        await using var host = new PluginHost(PluginTier.Edge, NullLoggerFactory.Instance, TimeProvider.System);
        host.Register(PluginManifestReader.Parse(Manifest), new FixedPages(nodes: 40));
        await host.StartAllAsync(CancellationToken.None);
        using var meters = new TestMeterFactory();
        var collector = new TelemetryCollector(host, TimeProvider.System, NullLogger<TelemetryCollector>.Instance, meters);

        var rounds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => collector.CollectOnceAsync(CancellationToken.None))));

        Assert.All(rounds, r => Assert.Equal((40, 40, 0), (r.Targets, r.Scraped, r.Failed)));
        Assert.Equal(8, collector.Latest("node-07")!.Gpus.Count);
    }

    [Fact]
    public async Task A_malformed_page_is_counted_as_failed_and_keeps_the_previous_rollup()
    {
        await using var host = new PluginHost(PluginTier.Edge, NullLoggerFactory.Instance, TimeProvider.System);
        var source = new FixedPages(nodes: 2);
        host.Register(PluginManifestReader.Parse(Manifest), source);
        await host.StartAllAsync(CancellationToken.None);
        using var meters = new TestMeterFactory();
        var collector = new TelemetryCollector(host, TimeProvider.System, NullLogger<TelemetryCollector>.Instance, meters);
        await collector.CollectOnceAsync(CancellationToken.None);
        var before = collector.Latest("node-01");

        source.Broken = "node-01";
        var round = await collector.CollectOnceAsync(CancellationToken.None);

        Assert.Equal((2, 1, 1), (round.Targets, round.Scraped, round.Failed));
        Assert.Same(before, collector.Latest("node-01"));
    }

    [Fact]
    public async Task Observers_see_every_parsed_page_and_which_nodes_answered_the_round()
    {
        await using var host = new PluginHost(PluginTier.Edge, NullLoggerFactory.Instance, TimeProvider.System);
        var source = new FixedPages(nodes: 3, withPorts: true) { Broken = "node-02" };
        host.Register(PluginManifestReader.Parse(Manifest), source);
        await host.StartAllAsync(CancellationToken.None);
        using var meters = new TestMeterFactory();
        var observer = new RecordingObserver();
        var collector = new TelemetryCollector(host, TimeProvider.System, NullLogger<TelemetryCollector>.Instance, meters, [observer]);

        var round = await collector.CollectOnceAsync(CancellationToken.None);

        Assert.Equal((3, 2, 1), (round.Targets, round.Scraped, round.Failed));
        Assert.Equal((3, 0), (round.PortPages, round.PortFailures));
        Assert.Equal("started", observer.Calls[0]);
        Assert.Equal("completed node-00,node-01", observer.Calls[^1]);
        Assert.Contains("dcgm node-00 24", observer.Calls);
        Assert.Contains("dcgm node-01 24", observer.Calls);
        Assert.DoesNotContain(observer.Calls, c => c.StartsWith("dcgm node-02", StringComparison.Ordinal));
        Assert.Contains("ports node-02 mlx5_1 symbol_error=7", observer.Calls);
    }

    [Fact]
    public async Task An_observer_that_throws_does_not_stop_the_round_or_the_other_observers()
    {
        await using var host = new PluginHost(PluginTier.Edge, NullLoggerFactory.Instance, TimeProvider.System);
        host.Register(PluginManifestReader.Parse(Manifest), new FixedPages(nodes: 2));
        await host.StartAllAsync(CancellationToken.None);
        using var meters = new TestMeterFactory();
        var observer = new RecordingObserver();
        var collector = new TelemetryCollector(host, TimeProvider.System, NullLogger<TelemetryCollector>.Instance, meters, [new ThrowingObserver(), observer]);

        var round = await collector.CollectOnceAsync(CancellationToken.None);

        Assert.Equal((2, 2, 0), (round.Targets, round.Scraped, round.Failed));
        Assert.Equal("completed node-00,node-01", observer.Calls[^1]);
    }

    [Fact]
    public async Task Without_observers_port_pages_are_not_scraped()
    {
        await using var host = new PluginHost(PluginTier.Edge, NullLoggerFactory.Instance, TimeProvider.System);
        host.Register(PluginManifestReader.Parse(Manifest), new FixedPages(nodes: 2, withPorts: true));
        await host.StartAllAsync(CancellationToken.None);
        using var meters = new TestMeterFactory();
        var collector = new TelemetryCollector(host, TimeProvider.System, NullLogger<TelemetryCollector>.Instance, meters);

        var round = await collector.CollectOnceAsync(CancellationToken.None);

        Assert.Equal((2, 2, 0), (round.Targets, round.Scraped, round.PortPages));
    }

    private sealed class RecordingObserver : IPageObserver
    {
        public List<string> Calls { get; } = [];

        public void OnRoundStarted(DateTimeOffset at) => Calls.Add("started");

        public void OnDcgmPage(string node, IReadOnlyList<GpuReading> readings) => Calls.Add($"dcgm {node} {readings.Count}");

        public void OnPortPage(string node, NeoCloud.Telemetry.Exposition.SampleBatch batch)
        {
            foreach (var sample in batch)
            {
                if (sample.Name == "infiniband_symbol_error_total" && sample.TryGetLabel("device", out string? device))
                {
                    Calls.Add($"ports {node} {device} symbol_error={sample.Value}");
                }
            }
        }

        public void OnRoundCompleted(DateTimeOffset at, IReadOnlyCollection<string> answered) =>
            Calls.Add($"completed {string.Join(',', answered.Order(StringComparer.Ordinal))}");
    }

    private sealed class ThrowingObserver : IPageObserver
    {
        public void OnRoundStarted(DateTimeOffset at) => throw new InvalidOperationException("observer bug");

        public void OnDcgmPage(string node, IReadOnlyList<GpuReading> readings) => throw new InvalidOperationException("observer bug");

        public void OnPortPage(string node, NeoCloud.Telemetry.Exposition.SampleBatch batch) => throw new InvalidOperationException("observer bug");

        public void OnRoundCompleted(DateTimeOffset at, IReadOnlyCollection<string> answered) => throw new InvalidOperationException("observer bug");
    }

    private sealed class FixedPages(int nodes, bool withPorts = false) : ITelemetrySource
    {
        public string? Broken { get; set; }

        public IReadOnlyList<ScrapeTarget> Targets { get; } =
            [.. Enumerable.Range(0, nodes).SelectMany(n => withPorts
                ? new[] { new ScrapeTarget($"node-{n:00}", TelemetryFormats.DcgmExporter), new ScrapeTarget($"node-{n:00}", TelemetryFormats.IbPortCounters) }
                : [new ScrapeTarget($"node-{n:00}", TelemetryFormats.DcgmExporter)])];

        public IReadOnlyList<ConfigField> ConfigSchema => [];

        public async ValueTask ScrapeAsync(ScrapeTarget target, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (target.Format == TelemetryFormats.IbPortCounters)
            {
                output.Write("# TYPE infiniband_symbol_error_total counter\ninfiniband_symbol_error_total{device=\"mlx5_0\",port=\"1\"} 0\ninfiniband_symbol_error_total{device=\"mlx5_1\",port=\"1\"} 7\n"u8);
                return;
            }

            if (target.Node == Broken)
            {
                output.Write("DCGM_FI_DEV_GPU_TEMP{gpu=\"0\" 41\n"u8);
                return;
            }

            var gpus = Enumerable.Range(0, 8).Select(g => new DcgmGpuLabels(g, $"GPU-{target.Node}-{g}", "00000000:18:00.0", $"nvidia{g}", "NVIDIA H100 80GB HBM3", target.Node)).ToArray();
            var writer = new DcgmExporterWriter(output);
            foreach (var field in new[] { DcgmField.GpuTemp, DcgmField.GpuUtil, DcgmField.PowerUsage })
            {
                await Task.Yield();
                writer.WriteFamily(field, gpus, Enumerable.Repeat(42.0, 8).ToArray());
            }
        }

        public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);
        public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
