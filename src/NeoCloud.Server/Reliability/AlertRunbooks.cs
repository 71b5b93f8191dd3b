using NeoCloud.Reliability.Operations;
using NeoCloud.Server.Reliability.Runbooks;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// Attaches runbooks to alerts: after each reliability step, starts the runbooks whose triggers match an alert that
/// reached a receiver (silenced and inhibited alerts start nothing). A repeated notification starts nothing new, since a
/// run's id is derived from the alert's firing.
/// </summary>
public sealed class AlertRunbooks(RunbookService runbooks, ILogger<AlertRunbooks> logger)
{
    public async Task StartAsync(ReliabilityStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (runbooks.Unavailable is not null)
        {
            return;
        }

        foreach (var alert in step.Notifications.SelectMany(n => n.Firing).DistinctBy(a => a.Fingerprint))
        {
            try
            {
                foreach (var run in await runbooks.StartForAlertAsync(alert, cancellationToken))
                {
                    logger.LogInformation("Alert {Alert} started runbook {Runbook} ({Run})", alert["alertname"], run.Runbook, run.Id);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Runbooks for alert {Alert} could not start", alert["alertname"]);
            }
        }
    }
}
