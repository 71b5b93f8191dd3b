namespace NeoCloud.Reliability.Notifications;

/// <summary>What happened to one notification: the outcome, how many HTTP attempts it took and the last answer.</summary>
/// <param name="IdempotencyKey">The de-duplication hash, also sent as the <c>Idempotency-Key</c> header.</param>
public sealed record WebhookDelivery(DeliveryOutcome Outcome, int Attempts, int? LastStatusCode, string? LastError, string IdempotencyKey);
