using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;
using NeoCloud.Telemetry.Sources;

namespace NeoCloud.Telemetry.Collection;

/// <summary>
/// Scrapes every dcgm-exporter target of every ready telemetry-source plugin, through the plugin host (so calls are
/// counted and a failing source is isolated), parses each page with the shared parser, and keeps each node's latest rollup.
/// InfiniBand port-counter pages are scraped and parsed too, for the page observers (health detection). The same path
/// serves the twin and real exporters.
/// </summary>
public sealed class TelemetryCollector
{
    /// <summary>Instruments are named within the meter: exported to Prometheus as <c>neocloud_telemetry_samples_total</c> and so on.</summary>
    public const string MeterName = "NeoCloud.Telemetry";

    private readonly PluginHost _host;
    private readonly TimeProvider _clock;
    private readonly ILogger<TelemetryCollector> _logger;
    private readonly ConcurrentDictionary<string, NodeTelemetry> _latest = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _page = new(128 * 1024);
    private readonly DcgmPageReader _reader = new();
    private readonly List<GpuReading> _readings = new(512);
    private readonly SampleBatch _portBatch = new();
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
    private readonly IPageObserver[] _observers;
    private readonly Counter<long> _scrapes;
    private readonly Counter<long> _samples;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _roundSeconds;

    // One round at a time: the page buffer, the reader and the readings list are reused across pages and rounds.
    private readonly SemaphoreSlim _round = new(1, 1);

    /// <param name="observers">Told of every parsed page and of each round's start and end (the host's health loop).</param>
    public TelemetryCollector(PluginHost host, TimeProvider clock, ILogger<TelemetryCollector> logger, IMeterFactory meters, IEnumerable<IPageObserver>? observers = null)
    {
        _host = host;
        _observers = observers?.ToArray() ?? [];
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _scrapes = meter.CreateCounter<long>("scrapes_total", description: "Pages scraped from telemetry sources.");
        _samples = meter.CreateCounter<long>("samples_total", description: "Samples parsed from scraped pages.");
        _errors = meter.CreateCounter<long>("scrape_errors_total", description: "Scrapes that failed or could not be parsed.");
        _roundSeconds = meter.CreateHistogram<double>("collection_round_seconds", "s", "Time to scrape and parse every target once.");
    }

    public NodeTelemetry? Latest(string node) => _latest.TryGetValue(node, out var t) ? t : null;

    public int NodesSeen => _latest.Count;

    /// <summary>One pass over every target. Concurrent callers wait their turn: the buffers are reused across pages to keep the loop allocation-light.</summary>
    public async Task<CollectionRound> CollectOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            return await CollectAsync(cancellationToken);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task<CollectionRound> CollectAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var at = _clock.GetUtcNow();
        int targets = 0, scraped = 0, failed = 0, portPages = 0, portFailures = 0;
        long samples = 0;
        _answered.Clear();
        Notify(o => o.OnRoundStarted(at));
        foreach (var (registration, source) in _host.Ready<ITelemetrySource>().ToList())
        {
            foreach (var target in source.Targets)
            {
                bool dcgm = target.Format == TelemetryFormats.DcgmExporter;
                if (!dcgm && (target.Format != TelemetryFormats.IbPortCounters || _observers.Length == 0))
                {
                    // Port counters are only read for someone who watches them; other formats have no reader yet.
                    continue;
                }

                targets += dcgm ? 1 : 0;
                _page.ResetWrittenCount();
                try
                {
                    await _host.InvokeAsync(registration, "scrape", async ct =>
                    {
                        await source.ScrapeAsync(target, _page, ct);
                        return true;
                    }, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed += dcgm ? 1 : 0;
                    portFailures += dcgm ? 0 : 1;
                    _errors.Add(1, new KeyValuePair<string, object?>("reason", "scrape"));
                    _logger.LogWarning(ex, "Scrape of {Node} from {Source} failed", target.Node, registration.Manifest.Name);
                    if (registration.State is not (Plugins.Lifecycle.PluginState.Ready or Plugins.Lifecycle.PluginState.Degraded))
                    {
                        break;
                    }

                    continue;
                }

                _readings.Clear();
                try
                {
                    if (!dcgm)
                    {
                        PrometheusTextParser.Parse(_page.WrittenSpan, _portBatch);
                        samples += _portBatch.Count;
                        portPages++;
                        Notify(o => o.OnPortPage(target.Node, _portBatch));
                        continue;
                    }

                    int count = _reader.Read(_page.WrittenSpan, _readings);
                    samples += count;
                    scraped++;
                    _latest[target.Node] = Summarise(target.Node, count);
                    _answered.Add(target.Node);
                    Notify(o => o.OnDcgmPage(target.Node, _readings));
                }
                catch (TelemetryParseException ex)
                {
                    failed += dcgm ? 1 : 0;
                    portFailures += dcgm ? 0 : 1;
                    _errors.Add(1, new KeyValuePair<string, object?>("reason", "parse"));
                    _logger.LogWarning("Page of {Node} rejected at line {Line}, column {Column}: {Reason}", target.Node, ex.Line, ex.Column, ex.Reason);
                }
            }
        }

        Notify(o => o.OnRoundCompleted(at, _answered));
        var took = Stopwatch.GetElapsedTime(started);
        _scrapes.Add(scraped + portPages);
        _samples.Add(samples);
        _roundSeconds.Record(took.TotalSeconds);
        return new CollectionRound(targets, scraped, failed, samples, took) { PortPages = portPages, PortFailures = portFailures };
    }

    // An observer's failure is its own: it is logged, and neither the round nor the other observers stop for it.
    private void Notify(Action<IPageObserver> call)
    {
        foreach (var observer in _observers)
        {
            try
            {
                call(observer);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _errors.Add(1, new KeyValuePair<string, object?>("reason", "observer"));
                _logger.LogError(ex, "Page observer {Observer} failed", observer.GetType().Name);
            }
        }
    }

    private NodeTelemetry Summarise(string node, int samples)
    {
        var byGpu = new SortedDictionary<int, double[]>();
        var uuids = new Dictionary<int, string>();
        foreach (var r in _readings)
        {
            if (!byGpu.TryGetValue(r.Gpu, out var values))
            {
                byGpu[r.Gpu] = values = new double[Watched.Length];
                uuids[r.Gpu] = r.Uuid;
            }

            int slot = Array.IndexOf(Watched, r.Field);
            if (slot >= 0)
            {
                values[slot] = r.Value;
            }
        }

        var gpus = byGpu.Select(kv => new GpuSnapshot(
            kv.Key, uuids[kv.Key], kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3], kv.Value[4], kv.Value[5], kv.Value[6],
            kv.Value[7], kv.Value[8], kv.Value[9], kv.Value[10], kv.Value[11])).ToList();
        return new NodeTelemetry(node, _clock.GetUtcNow(), samples, gpus);
    }

    // The order of GpuSnapshot's signal parameters.
    private static readonly DcgmField[] Watched =
    [
        DcgmField.GpuUtil, DcgmField.FbUsed, DcgmField.GpuTemp, DcgmField.PowerUsage, DcgmField.SmClock,
        DcgmField.EccDbeVolTotal, DcgmField.EccSbeVolTotal, DcgmField.RowRemapFailure, DcgmField.XidErrors,
        DcgmField.PcieReplayCounter, DcgmField.NvlinkCrcFlitErrorCountTotal, DcgmField.ClockEventReasons,
    ];
}
