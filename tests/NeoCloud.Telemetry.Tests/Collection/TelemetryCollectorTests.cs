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

    private sealed class FixedPages(int nodes) : ITelemetrySource
    {
        public string? Broken { get; set; }

        public IReadOnlyList<ScrapeTarget> Targets { get; } =
            [.. Enumerable.Range(0, nodes).Select(n => new ScrapeTarget($"node-{n:00}", TelemetryFormats.DcgmExporter))];

        public IReadOnlyList<ConfigField> ConfigSchema => [];

        public async ValueTask ScrapeAsync(ScrapeTarget target, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            await Task.Yield();
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
