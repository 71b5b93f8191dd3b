namespace NeoCloud.Kernel.Events;

/// <summary>A fact that happened in a context, named in the past tense (<c>NodeCordoned</c>).</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
