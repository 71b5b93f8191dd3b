using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeoCloud.Access.Relay;

/// <summary>Runs one audit relay at start-up (catching up on whatever a crash left unaudited) and then every interval.</summary>
internal sealed class AuditRelayService<TRelay, TRow>(
    TRelay relay,
    IOptions<AuditRelayOptions> options,
    TimeProvider clock,
    ILogger<AuditRelayService<TRelay, TRow>> logger) : BackgroundService
    where TRelay : OutboxAuditRelay<TRow>
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);
        do
        {
            try
            {
                int relayed = await relay.RelayAsync(stoppingToken);
                if (relayed > 0)
                {
                    logger.LogDebug("Relayed {Count} {Stream} rows to the audit log", relayed, relay.SourceStream);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is lost: the rows stay in their context's outbox and the next pass picks them up.
                logger.LogError(ex, "Audit relay pass over {Stream} failed", relay.SourceStream);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
