namespace NeoCloud.Fleet.Lifecycle;

/// <summary>A lifecycle command asked for a transition the state machine does not allow.</summary>
public sealed class IllegalTransitionException : InvalidOperationException
{
    public IllegalTransitionException(string subjectKind, string subjectId, LifecycleState from, LifecycleState to, IReadOnlyCollection<LifecycleState> allowed)
        : base($"{subjectKind} {subjectId} cannot go from {from} to {to}; from {from} it may go to: {(allowed.Count == 0 ? "nothing (terminal)" : string.Join(", ", allowed))}.")
    {
        From = from;
        To = to;
        SubjectId = subjectId;
    }

    public IllegalTransitionException()
    {
        SubjectId = string.Empty;
    }

    public IllegalTransitionException(string message) : base(message)
    {
        SubjectId = string.Empty;
    }

    public IllegalTransitionException(string message, Exception innerException) : base(message, innerException)
    {
        SubjectId = string.Empty;
    }

    public string SubjectId { get; }
    public LifecycleState From { get; }
    public LifecycleState To { get; }
}
