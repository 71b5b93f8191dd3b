using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Server.Workloads;

/// <summary>One job event as the API shows it.</summary>
public sealed record JobEventView(long Sequence, string Job, string? From, string To, string Reason, string Actor, DateTimeOffset At, int Attempt, string? Details)
{
    public static JobEventView Of(JobEvent e) =>
        new(e.Sequence, e.Job.Value, e.From is { } f ? JobMachine.Name(f) : null, JobMachine.Name(e.To), e.Reason, e.Actor, e.At, e.Attempt, e.Details);
}
