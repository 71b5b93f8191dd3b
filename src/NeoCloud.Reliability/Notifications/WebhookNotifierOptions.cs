namespace NeoCloud.Reliability.Notifications;

/// <summary>Where and how a <see cref="WebhookNotifier"/> delivers; the defaults follow Alertmanager's webhook receiver.</summary>
public sealed class WebhookNotifierOptions
{
    public required Uri Url { get; init; }

    /// <summary>Sent as <c>externalURL</c>: where a human finds the alert source.</summary>
    public string ExternalUrl { get; init; } = "";

    /// <summary>Alerts per message; the rest are counted in <c>truncatedAlerts</c> (0: no limit, Alertmanager's <c>max_alerts</c>).</summary>
    public int MaxAlerts { get; init; }

    /// <summary>Limit for one HTTP attempt, so that a hung receiver costs one attempt and not the whole budget.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP attempts in all, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a sent notification is remembered; Alertmanager's <c>repeat_interval</c> (4h), so that a repeat meant to
    /// remind a human still goes out while a redelivery of the same state does not.
    /// </summary>
    public TimeSpan DeduplicationWindow { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Bound on remembered notifications, so that memory stays bounded whatever the alert volume.</summary>
    public int DeduplicationCapacity { get; init; } = 10_000;

    /// <summary>
    /// Doubling backoff capped at <see cref="MaxBackoff"/>. No jitter: one notifier talks to one receiver, so there is no herd
    /// to spread, and a fixed schedule is what an operator can reason about.
    /// </summary>
    internal TimeSpan BackoffBefore(int retry)
    {
        double factor = Math.Pow(2, Math.Min(retry - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Url);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxAlerts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DeduplicationWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(DeduplicationCapacity, 1);
    }
}
