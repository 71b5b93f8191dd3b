using NeoCloud.Health.Metrics;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Server.Health;

/// <summary>
/// The host's pager: each page is logged at Critical (log shipping alerts on it), counted, and the last
/// <see cref="Capacity"/> are kept for the API and <c>neoctl health</c>. What must reach a person also reaches the
/// Reliability loop as an alert (an open breaker, an incident's escalation), which sends it to the webhooks.
/// </summary>
public sealed class LoggingPager(HealthMetrics metrics, ILogger<LoggingPager> logger) : IPager
{
    public const int Capacity = 100;

    private readonly Lock _gate = new();
    private readonly Queue<OnCallPage> _recent = new();

    public Task PageAsync(OnCallPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        logger.LogCritical("PAGE {Severity} from {Source}: {Summary}", page.Severity, page.Source, page.Summary);
        metrics.Paged(page);
        lock (_gate)
        {
            _recent.Enqueue(page);
            if (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The pages kept, newest first.</summary>
    public IReadOnlyList<OnCallPage> Recent()
    {
        lock (_gate)
        {
            return [.. _recent.Reverse()];
        }
    }
}
