namespace NeoCloud.Kernel.Events;

/// <summary>A domain event with the metadata every transport and outbox needs: a stable id for idempotent apply.</summary>
public sealed record EventEnvelope(string EventId, string Type, string Source, DateTimeOffset OccurredAt, IDomainEvent Payload)
{
    public static EventEnvelope Wrap(IDomainEvent payload, string source, string eventId) =>
        new(eventId, payload.GetType().Name, source, payload.OccurredAt, payload);
}
