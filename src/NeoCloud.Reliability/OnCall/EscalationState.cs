namespace NeoCloud.Reliability.OnCall;

/// <summary>
/// Where an incident's escalation stands: the level reached (1-based) in which pass, since when, who must be paged now
/// (nobody once acknowledged) and when the next level is due (null on the very last level or once acknowledged).
/// </summary>
public sealed record EscalationState(
    int Level,
    int Pass,
    DateTimeOffset LevelSince,
    IReadOnlyList<string> Page,
    DateTimeOffset? NextEscalationAt,
    DateTimeOffset? AcknowledgedAt)
{
    public bool IsAcknowledged => AcknowledgedAt is not null;
}
