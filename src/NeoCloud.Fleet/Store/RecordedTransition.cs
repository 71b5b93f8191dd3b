using NeoCloud.Fleet.Lifecycle;

namespace NeoCloud.Fleet.Store;

/// <summary>A committed lifecycle transition with its place in the fleet's transition log, for relays that follow the log.</summary>
/// <param name="Sequence">Global, increasing in commit order: a reader that has seen sequence n has seen every transition before it.</param>
/// <param name="SubjectKind"><see cref="LifecycleActions.Node"/> or <see cref="LifecycleActions.Gpu"/>.</param>
public sealed record RecordedTransition(long Sequence, string SubjectKind, LifecycleTransition Transition);
