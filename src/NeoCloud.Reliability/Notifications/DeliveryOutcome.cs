namespace NeoCloud.Reliability.Notifications;

/// <summary>How a webhook delivery ended.</summary>
public enum DeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Sent,

    /// <summary>The same notification was already sent (or is being sent) within the de-duplication window: nothing was sent.</summary>
    Duplicate,

    /// <summary>The receiver refused it with a 4xx that retrying cannot fix.</summary>
    Rejected,

    /// <summary>Every attempt of the retry budget failed (5xx, 408, 429, a timeout or a network error).</summary>
    GaveUp,
}
