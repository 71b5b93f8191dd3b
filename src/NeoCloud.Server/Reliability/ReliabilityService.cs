using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// The host's reliability loop: restores incidents and silences before the host answers, then every
/// <see cref="ReliabilityOptions.StepInterval"/> of the host's clock steps the runtime at the reliability clock's now. A
/// step that fails is logged and the next one goes on.
/// </summary>
internal sealed class ReliabilityService(
    ReliabilityRuntime runtime,
    JobSliRelay jobs,
    NodeAvailabilitySli nodes,
    AlertRunbooks runbooks,
    IOptions<ReliabilityOptions> options,
    TimeProvider hostClock,
    ILogger<ReliabilityService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Restored before the API serves, so an ack right after a restart finds its incident.
        await runtime.RestoreAsync(cancellationToken);
        await jobs.CatchUpAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.StepInterval;
        logger.LogInformation("Reliability loop stepping every {Interval}", interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, hostClock, stoppingToken);
                try
                {
                    await jobs.CatchUpAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Job SLI events could not be read; the next step tries again");
                }

                try
                {
                    var step = await runtime.StepAsync(runtime.Now, stoppingToken);
                    await nodes.RecordAsync(runtime.UnhealthyNodes, step.At, runtime.RoundsInLastStep, stoppingToken);
                    await runbooks.StartAsync(step, stoppingToken);
                    if (step.Opened.Count > 0 || step.Changed.Count > 0 || step.Notifications.Count > 0)
                    {
                        logger.LogInformation(
                            "Reliability step at {At}: {Opened} incidents opened, {Changed} changed, {Notifications} notifications",
                            step.At, step.Opened.Count, step.Changed.Count, step.Notifications.Count);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Reliability step failed; the next step tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
