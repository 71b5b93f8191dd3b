namespace NeoCloud.Fleet.Lifecycle;

/// <summary>One recorded change of lifecycle state: who moved what from where to where, why and when.</summary>
/// <param name="Subject">The node or GPU id.</param>
public sealed record LifecycleTransition(string Subject, LifecycleState From, LifecycleState To, string Actor, string Reason, DateTimeOffset At);
