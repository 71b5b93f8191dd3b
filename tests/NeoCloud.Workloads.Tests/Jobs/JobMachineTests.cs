using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Jobs;
using static NeoCloud.Workloads.Tests.Jobs.TestJobs;

namespace NeoCloud.Workloads.Tests.Jobs;

public sealed class JobMachineTests
{
    [Fact]
    public void A_submitted_job_is_pending_at_version_one_on_its_first_attempt()
    {
        var (job, submitted) = Job.Submit(new JobId("job-1"), Spec(), "person:ana", T0);

        Assert.Equal((JobState.Pending, 1L, 1, 0, 2), (job.State, job.Version, job.Attempt, job.RetriesUsed, job.RetryBudget));
        Assert.Equal((WorkloadKind.Job, "train", "acme", "acme-training"), (job.Kind, job.Name, job.Tenant.Value, job.Queue.Value));
        Assert.Equal(Spec().ToCanonicalJson(), job.SpecJson);
        Assert.Equal(new JobEvent(0, job.Id, null, JobState.Pending, "submitted", "person:ana", T0, 1, null), submitted);
    }

    [Fact]
    public void A_job_runs_to_success_through_every_state_of_the_happy_path()
    {
        var job = Pending();
        foreach (var state in new[] { JobState.Admitted, JobState.Placed, JobState.Running, JobState.Succeeded })
        {
            job = JobMachine.Apply(job, To(state, (int)state)).Job;
        }

        Assert.Equal((JobState.Succeeded, 5L), (job.State, job.Version));
        Assert.Equal(T0.AddMinutes((int)JobState.Running), job.StartedAt);
        Assert.Equal(T0.AddMinutes((int)JobState.Succeeded), job.FinishedAt);
        Assert.Empty(job.Placement);
        Assert.True(job.IsFinal);
    }

    [Fact]
    public void A_placed_job_keeps_its_placement_while_it_runs()
    {
        var job = JobMachine.Apply(JobMachine.Apply(Pending(), To(JobState.Admitted)).Job, To(JobState.Placed)).Job;

        var (running, started) = JobMachine.Apply(job, To(JobState.Running));

        Assert.Equal(TwoNodes, running.Placement);
        Assert.Equal((JobState.Placed, JobState.Running, 1), (started.From!.Value, started.To, started.Attempt));
    }

    [Theory]
    [InlineData(JobState.Pending, JobState.Running)]
    [InlineData(JobState.Pending, JobState.Placed)]
    [InlineData(JobState.Admitted, JobState.Running)]
    [InlineData(JobState.Running, JobState.Pending)]
    [InlineData(JobState.Running, JobState.Admitted)]
    [InlineData(JobState.Pending, JobState.Preempted)]
    public void A_transition_outside_the_lifecycle_is_refused_and_changes_nothing(JobState from, JobState to)
    {
        var job = Reach(from);

        var error = Assert.Throws<IllegalJobTransitionException>(() => JobMachine.Apply(job, To(to)));

        Assert.Equal((from, to), (error.From, error.To));
        Assert.Contains($"From {from} it can go to", error.Message);
    }

    [Theory]
    [InlineData(JobState.Succeeded)]
    [InlineData(JobState.Failed)]
    [InlineData(JobState.Cancelled)]
    public void A_final_job_never_changes_again(JobState final)
    {
        var job = Reach(final);

        Assert.All(Enum.GetValues<JobState>(), to => Assert.Throws<IllegalJobTransitionException>(() => JobMachine.Apply(job, To(to))));
        Assert.Empty(JobMachine.NextStates(final));
    }

    [Fact]
    public void A_preempted_job_restarts_as_a_new_attempt_while_its_budget_lasts_then_fails()
    {
        var job = Pending(retryBudget: 1);
        job = Run(job);
        job = JobMachine.Apply(job, To(JobState.Preempted)).Job;

        var restart = JobMachine.AfterInterruption(job, "agent:scheduler", T0.AddMinutes(9));
        job = JobMachine.Apply(job, restart).Job;
        Assert.Equal((JobState.Pending, 2, 1), (job.State, job.Attempt, job.RetriesUsed));
        Assert.Contains("retry 1 of 1", job.LastReason);

        job = JobMachine.Apply(Run(job), To(JobState.InfraFailed)).Job;
        Assert.Throws<IllegalJobTransitionException>(() => JobMachine.Apply(job, To(JobState.Pending)));
        var end = JobMachine.AfterInterruption(job, "agent:scheduler", T0.AddMinutes(20));
        job = JobMachine.Apply(job, end).Job;

        Assert.Equal((JobState.Failed, JobMachine.RetryBudgetExhausted, 2), (job.State, job.LastReason, job.Attempt));
    }

    [Fact]
    public void An_interrupted_job_with_budget_left_cannot_be_failed_instead_of_restarted()
    {
        var job = JobMachine.Apply(Run(Pending()), To(JobState.Preempted)).Job;

        var error = Assert.Throws<IllegalJobTransitionException>(() => JobMachine.Apply(job, To(JobState.Failed)));

        Assert.Contains("2 retries left", error.Message);
    }

    [Fact]
    public void Placing_needs_a_placement_and_no_other_move_takes_one()
    {
        var admitted = JobMachine.Apply(Pending(), To(JobState.Admitted)).Job;

        Assert.Throws<ArgumentException>(() => JobMachine.Apply(admitted, new JobTransition(JobState.Placed, "fits", "agent:s", T0)));
        Assert.Throws<ArgumentException>(() => JobMachine.Apply(Pending(), new JobTransition(JobState.Admitted, "quota", "agent:s", T0, TwoNodes)));
    }

    [Fact]
    public void A_checkpoint_of_the_current_attempt_is_kept_and_stale_reports_are_ignored()
    {
        var job = Run(Pending());

        job = JobMachine.RecordCheckpoint(job, 1, TimeSpan.FromMinutes(30), T0.AddMinutes(30));
        var same = JobMachine.RecordCheckpoint(job, 1, TimeSpan.FromMinutes(20), T0.AddMinutes(31));
        var older = JobMachine.RecordCheckpoint(job, 0, TimeSpan.FromHours(1), T0.AddMinutes(32));

        Assert.Equal(TimeSpan.FromMinutes(30), job.CheckpointProgress);
        Assert.Same(job, same);
        Assert.Same(job, older);
        Assert.Equal(3, job.Version - 1);
    }

    internal static Job Run(Job job)
    {
        job = JobMachine.Apply(job, To(JobState.Admitted)).Job;
        job = JobMachine.Apply(job, To(JobState.Placed)).Job;
        return JobMachine.Apply(job, To(JobState.Running)).Job;
    }

    private static Job Reach(JobState state)
    {
        var job = Pending();
        return state switch
        {
            JobState.Pending => job,
            JobState.Admitted => JobMachine.Apply(job, To(JobState.Admitted)).Job,
            JobState.Placed => JobMachine.Apply(Reach(JobState.Admitted), To(JobState.Placed)).Job,
            JobState.Running => Run(job),
            JobState.Cancelled => JobMachine.Apply(job, To(JobState.Cancelled)).Job,
            JobState.Preempted or JobState.InfraFailed or JobState.Succeeded or JobState.Failed => JobMachine.Apply(Run(job), To(state)).Job,
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }
}
