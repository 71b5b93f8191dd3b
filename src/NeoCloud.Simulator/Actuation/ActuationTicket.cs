namespace NeoCloud.Simulator.Actuation;

/// <summary>An action the twin's hardware is carrying out on virtual time; done once the twin's clock passes <see cref="CompletesAt"/>.</summary>
public sealed class ActuationTicket(string action, string target, DateTimeOffset startedAt, DateTimeOffset completesAt)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Action { get; } = action;
    public string Target { get; } = target;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset CompletesAt { get; } = completesAt;
    public bool IsCompleted => _done.Task.IsCompleted;

    /// <summary>Completes when the twin's ticks reach <see cref="CompletesAt"/> and the action has taken effect.</summary>
    public Task Completion => _done.Task;

    internal void Complete() => _done.TrySetResult();
}
