using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeoCloud.Access.Relay;

/// <summary>Runs the job audit relay at start-up (catching up on whatever a crash left unaudited) and then every interval.</summary>
internal sealed class JobAuditRelayService(
    JobAuditRelay relay,
    IOptions<AuditRelayOptions> options,
    TimeProvider clock,
    ILogger<JobAuditRelayService> logger) : BackgroundService
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
                    logger.LogDebug("Relayed {Count} job events to the audit log", relayed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is lost: the events stay in the workloads log and the next pass picks them up.
                logger.LogError(ex, "Job audit relay pass failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
