using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Health;

/// <summary>
/// The host's health loop: builds the pipeline at start, then runs one round after every telemetry round the frame
/// observer hands over. A round that fails is logged and the loop goes on with the next one.
/// </summary>
internal sealed class HealthService(HealthRuntime runtime, FrameObserver observer, IOptions<HealthOptions> options, ILogger<HealthService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            runtime.Disable($"{HealthOptions.Section}:Enabled is false");
        }

        if (!options.Value.Enabled || !runtime.TryStart())
        {
            logger.LogWarning("Health detection and remediation are off: {Reason}", runtime.Unavailable);
            return;
        }

        logger.LogInformation("Health detection and remediation running{DryRun}", options.Value.DryRun ? " (dry run)" : "");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var frame = await observer.TakeAsync(stoppingToken);
                try
                {
                    var round = await runtime.RoundAsync(frame, stoppingToken);
                    if (round.Findings.Count > 0 || round.Diagnoses.Count > 0)
                    {
                        logger.LogInformation("Health round at {At}: {Findings} findings, {Diagnoses} diagnoses", round.At, round.Findings.Count, round.Diagnoses.Count);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Health round failed; the next telemetry round starts another");
                }
                finally
                {
                    observer.Return(frame);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
