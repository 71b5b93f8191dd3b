using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeoCloud.Telemetry.Collection;

/// <summary>Runs the collector every scrape interval for as long as the host runs.</summary>
internal sealed class TelemetryCollectionService(
    TelemetryCollector collector,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<TelemetryCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ScrapeIntervalSeconds), clock);
        do
        {
            try
            {
                var round = await collector.CollectOnceAsync(stoppingToken);
                logger.LogDebug("Collected {Scraped}/{Targets} pages, {Samples} samples in {Took}", round.Scraped, round.Targets, round.Samples, round.Took);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Telemetry collection round failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
