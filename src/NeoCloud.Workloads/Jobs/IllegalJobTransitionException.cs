using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Jobs;

/// <summary>A job was asked to move where its lifecycle does not allow from where it is; nothing changed.</summary>
public sealed class IllegalJobTransitionException : InvalidOperationException
{
    public IllegalJobTransitionException(JobId job, JobState from, JobState to, IReadOnlyCollection<JobState> allowed, string? why = null)
        : base($"Job {job} cannot go from {from} to {to}{(why is null ? "" : $": {why}")}. "
            + (allowed.Count == 0 ? $"{from} is final." : $"From {from} it can go to: {string.Join(", ", allowed)}."))
    {
        Job = job;
        From = from;
        To = to;
    }

    public IllegalJobTransitionException()
    {
    }

    public IllegalJobTransitionException(string message) : base(message)
    {
    }

    public IllegalJobTransitionException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public JobId Job { get; }

    public JobState From { get; }

    public JobState To { get; }
}
