using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Workloads.Execution;

namespace NeoCloud.Workloads.Tests.Control;

/// <summary>An executor that records what it was asked and reports only when a test tells it to (as a real one reports later, never inside a call).</summary>
internal sealed class ExecutorFake : IJobExecutor
{
    private readonly Dictionary<(JobId, int), ExecutionStatus> _status = [];

    public IExecutionReporter? Reporter { get; private set; }

    public List<ExecutionRequest> Started { get; } = [];

    public List<(JobId Job, int Attempt, string Reason)> Stopped { get; } = [];

    public List<(JobId Job, int Attempt)> CheckpointSignals { get; } = [];

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    public void Attach(IExecutionReporter reporter) => Reporter = reporter;

    public Task StartAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        Started.Add(request);
        _status[(request.Job, request.Attempt)] = new ExecutionStatus(request.Job, request.Attempt, ExecutionOutcome.Running, request.ResumeFrom, null, null);
        return Task.CompletedTask;
    }

    public Task StopAsync(JobId job, int attempt, string reason, CancellationToken cancellationToken)
    {
        Stopped.Add((job, attempt, reason));
        return Task.CompletedTask;
    }

    public Task SignalCheckpointAsync(JobId job, int attempt, CancellationToken cancellationToken)
    {
        CheckpointSignals.Add((job, attempt));
        return Task.CompletedTask;
    }

    /// <summary>What the attempt says it saved (as a checkpoint written after a signal would).</summary>
    public void Saved(JobId job, int attempt, TimeSpan progress) =>
        _status[(job, attempt)] = _status[(job, attempt)] with { LastCheckpoint = progress, Progress = progress };

    public Task<ExecutionStatus?> StatusAsync(JobId job, int attempt, CancellationToken cancellationToken) =>
        Task.FromResult(_status.GetValueOrDefault((job, attempt)));

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
