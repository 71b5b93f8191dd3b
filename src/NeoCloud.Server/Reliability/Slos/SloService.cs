using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>
/// Declares the region's SLOs before the host answers (a broken SLO file stops it with its line and column), then
/// evaluates them every <see cref="SloOptions.EvaluationInterval"/> of the host's clock. A failed evaluation is logged and
/// the next one goes on.
/// </summary>
internal sealed class SloService(SloRuntime runtime, IOptions<SloOptions> options, TimeProvider hostClock, ILogger<SloService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await runtime.LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.EvaluationInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await runtime.EvaluateAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "SLO evaluation failed; the next one tries again");
                }

                await Task.Delay(interval, hostClock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
