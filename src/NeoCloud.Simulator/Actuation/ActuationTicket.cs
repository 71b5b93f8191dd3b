namespace NeoCloud.Simulator.Actuation;

/// <summary>An action the twin's hardware is carrying out on virtual time; done once the twin's clock passes <see cref="CompletesAt"/>.</summary>
public sealed class ActuationTicket(string action, string target, DateTimeOffset startedAt, DateTimeOffset completesAt)
{
    public string Action { get; } = action;
    public string Target { get; } = target;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset CompletesAt { get; } = completesAt;
    public bool IsCompleted { get; internal set; }
}
