using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Workloads.Jobs;
using static NeoCloud.Workloads.Tests.Jobs.TestJobs;

namespace NeoCloud.Workloads.Tests.Jobs;

public sealed class JobMachineProperties
{
    /// <summary>
    /// Any walk of requested moves (legal or not, with restarts through AfterInterruption) keeps the job inside the
    /// lifecycle: refused moves change nothing, applied ones follow the table, the version counts the changes, attempts
    /// are one more than retries, retries never exceed the budget, and only final states carry a finish time.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property Any_walk_of_commands_keeps_the_machine_legal_and_the_retry_budget(byte budget, int[] commands)
    {
        var walk = (commands ?? []).Select(c => (uint)c).ToArray();
        int retryBudget = budget % 4;
        var job = Pending(retryBudget);
        var states = Enum.GetValues<JobState>();
        long changes = 0;
        bool ok = true;
        for (int i = 0; i < walk.Length && ok; i++)
        {
            var before = job;
            var transition = walk[i] % 3 == 0 && before.State is JobState.Preempted or JobState.InfraFailed
                ? JobMachine.AfterInterruption(before, "agent:test", T0.AddMinutes(i))
                : To(states[(int)(walk[i] / 3 % (uint)states.Length)], i);
            try
            {
                var (after, e) = JobMachine.Apply(before, transition);
                changes++;
                job = after;
                ok &= JobMachine.CanTransition(before.State, after.State)
                    && e.From == before.State && e.To == after.State && e.Attempt == after.Attempt
                    && after.Version == before.Version + 1;
            }
            catch (IllegalJobTransitionException)
            {
                // Refused: the walk goes on from the unchanged job, and the move really was outside the table or the budget.
                ok &= !JobMachine.CanTransition(before.State, transition.To)
                    || before.State is JobState.Preempted or JobState.InfraFailed;
            }

            ok &= job.RetriesUsed <= job.RetryBudget
                && job.Attempt == job.RetriesUsed + 1
                && job.Version == 1 + changes
                && (job.FinishedAt is not null) == job.IsFinal
                && (job.Placement.Count > 0) == JobMachine.HoldsCapacity(job.State)
                && (job.State != JobState.Failed || job.LastReason != JobMachine.RetryBudgetExhausted || job.RetriesUsed == job.RetryBudget);
        }

        return ok.Label($"budget {retryBudget}, ended {job.State} v{job.Version} attempt {job.Attempt} retries {job.RetriesUsed}");
    }

    [Property(MaxTest = 200)]
    public Property A_job_preempted_again_and_again_fails_after_exactly_its_budget_of_restarts(byte budget)
    {
        int retryBudget = budget % 6;
        var job = Pending(retryBudget);
        int restarts = 0;
        while (!job.IsFinal)
        {
            job = JobMachine.Apply(JobMachineTests.Run(job), To(JobState.Preempted)).Job;
            var next = JobMachine.AfterInterruption(job, "agent:test", T0);
            job = JobMachine.Apply(job, next).Job;
            restarts += job.State == JobState.Pending ? 1 : 0;
        }

        return (restarts == retryBudget && job.State == JobState.Failed && job.Attempt == retryBudget + 1).ToProperty();
    }
}
