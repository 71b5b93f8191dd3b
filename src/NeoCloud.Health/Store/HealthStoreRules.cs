using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel;

namespace NeoCloud.Health.Store;

/// <summary>
/// What every <see cref="IHealthStore"/> checks and derives the same way: which records are well formed and the nodes a
/// run fences (page sizes and cursors follow Kernel's <see cref="Keyset"/>, as every store's listings do). Shared so the
/// in-memory store and the SQL stores reject the same input with the same message.
/// </summary>
public static class HealthStoreRules
{
    /// <summary>The node a GPU id (<c>node-id/gpuN</c>) belongs to: the part before the last '/'.</summary>
    public static string NodeOfGpu(string gpu)
    {
        int slash = gpu.LastIndexOf('/');
        return slash > 0
            ? gpu[..slash]
            : throw new ArgumentException($"'{gpu}' is not a GPU id: expected <node-id>/gpuN.", nameof(gpu));
    }

    /// <summary>Every node a run fences: its nodes and the nodes of its GPUs, each once, in ordinal order.</summary>
    public static IReadOnlyList<string> NodesOf(RemediationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var nodes = new SortedSet<string>(run.Nodes, StringComparer.Ordinal);
        foreach (string gpu in run.Gpus)
        {
            nodes.Add(NodeOfGpu(gpu));
        }

        return [.. nodes];
    }

    /// <summary>Throws, naming the finding and the field, unless every field a store needs is present.</summary>
    public static void CheckFinding(Finding? finding, string parameterName)
    {
        if (finding is null)
        {
            throw new ArgumentException("A finding is null.", parameterName);
        }

        string what = $"Finding '{finding.Id}'";
        Require(finding.Id, "A finding has no Id", parameterName);
        Require(finding.Code, $"{what} has no Code", parameterName);
        Require(finding.Component.Id, $"{what} has no component id", parameterName);
        if (finding.Summary is null)
        {
            throw new ArgumentException($"{what} has no Summary.", parameterName);
        }

        if (finding.Evidence is null || finding.Evidence.Any(e => e is null || e.Component is null || e.Signal is null))
        {
            throw new ArgumentException($"{what} has no Evidence list, or an entry of it without a component or a signal.", parameterName);
        }
    }

    /// <summary>Throws, naming the diagnosis and the field, unless it and the findings it explains are well formed.</summary>
    public static void CheckDiagnosis(Diagnosis? diagnosis, string parameterName)
    {
        if (diagnosis is null)
        {
            throw new ArgumentException("A diagnosis is null.", parameterName);
        }

        string what = $"Diagnosis '{diagnosis.Id}'";
        Require(diagnosis.Id, "A diagnosis has no Id", parameterName);
        Require(diagnosis.Suspect.Id, $"{what} has no suspect id", parameterName);
        if (diagnosis.Reasoning is null || diagnosis.Nodes is null || diagnosis.Gpus is null || diagnosis.Findings is null)
        {
            throw new ArgumentException($"{what} lacks its Reasoning, Nodes, Gpus or Findings.", parameterName);
        }

        if (diagnosis.Nodes.Any(string.IsNullOrWhiteSpace) || diagnosis.Gpus.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"{what} lists an empty node or GPU id.", parameterName);
        }

        foreach (var finding in diagnosis.Findings)
        {
            CheckFinding(finding, parameterName);
        }
    }

    /// <summary>Throws, naming the run and the field, unless it is a well-formed run at a version of 1 or more.</summary>
    public static void CheckRun(RemediationRun? run, string parameterName)
    {
        if (run is null)
        {
            throw new ArgumentException("A remediation run is null.", parameterName);
        }

        string what = $"Run '{run.Id}'";
        Require(run.Id, "A remediation run has no Id", parameterName);
        Require(run.DiagnosisId, $"{what} has no DiagnosisId", parameterName);
        Require(run.Target.Id, $"{what} has no target id", parameterName);
        if (run.Nodes is null || run.Gpus is null || run.Ladder is null || run.History is null || run.Reason is null)
        {
            throw new ArgumentException($"{what} lacks its Nodes, Gpus, Ladder, History or Reason.", parameterName);
        }

        if (run.Nodes.Any(string.IsNullOrWhiteSpace) || run.History.Any(e => e is null))
        {
            throw new ArgumentException($"{what} lists an empty node id or a null history entry.", parameterName);
        }

        foreach (string gpu in run.Gpus)
        {
            if (gpu is null || gpu.LastIndexOf('/') <= 0)
            {
                throw new ArgumentException($"{what} lists GPU '{gpu}', which is not a GPU id (<node-id>/gpuN).", parameterName);
            }
        }

        if (run.Version < 1)
        {
            throw new ArgumentException($"{what} is at version {run.Version}; versions start at 1.", parameterName);
        }
    }

    private static void Require(string? value, string message, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException(message + ".", parameterName);
        }
    }
}
