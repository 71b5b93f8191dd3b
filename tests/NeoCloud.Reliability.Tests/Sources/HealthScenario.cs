using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Reliability.Tests.Sources;

/// <summary>Health diagnoses and runs as the Health context hands them over, for the alert source and the engine.</summary>
internal static class HealthScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static Finding Finding(string id, string code, ComponentRef component, string node, double firstSeen, double detected, bool fatal = true, long work = 0) =>
        new(id, code, component, fatal ? Severity.Critical : Severity.Warning, fatal, At(firstSeen), At(detected), $"{code} on {component.Id}", [], work)
        {
            Node = node,
        };

    public static Diagnosis GpuFault(string id, string node = "n001", int gpu = 3, double at = 20, string code = "XID-79", bool fatal = true, long work = 0) =>
        new(
            id,
            new ComponentRef(ComponentKind.Gpu, $"{node}/gpu{gpu}"),
            0.9,
            $"{code} on one GPU",
            RemedyHint.ResetGpu,
            fatal,
            At(at),
            [node],
            [$"{node}/gpu{gpu}"],
            [Finding("fnd-" + id, code, new ComponentRef(ComponentKind.Gpu, $"{node}/gpu{gpu}"), node, at - 15, at, fatal, work)]);

    public static Diagnosis NodeDown(string id, string node = "n001", double at = 30, IReadOnlyList<string>? supersedes = null) =>
        new(
            id,
            new ComponentRef(ComponentKind.Node, node),
            0.8,
            "node stopped answering",
            RemedyHint.RebootNode,
            true,
            At(at),
            [node],
            [],
            [Finding("fnd-" + id, "HEARTBEAT-MISSING", new ComponentRef(ComponentKind.Node, node), node, at - 20, at)])
        {
            Supersedes = supersedes ?? [],
        };

    public static Diagnosis SwitchDown(string id, string @switch, IReadOnlyList<string> nodes, double at = 40) =>
        new(
            id,
            new ComponentRef(ComponentKind.Switch, @switch),
            0.85,
            "many ports below one leaf went down together",
            RemedyHint.RepairFabric,
            true,
            At(at),
            nodes,
            [],
            [.. nodes.Select((n, i) => Finding($"fnd-{id}-{i}", "IB-LINK-DOWNED", new ComponentRef(ComponentKind.Port, n + "/mlx5_0"), n, at - 10, at))]);

    public static Diagnosis JobFault(string id, string job, IReadOnlyList<string> nodes, double at = 60) =>
        new(
            id,
            new ComponentRef(ComponentKind.Job, job),
            0.7,
            "the job reported numeric anomalies",
            RemedyHint.RestartApplication,
            false,
            At(at),
            nodes,
            [],
            [Finding("fnd-" + id, "NCCL-TIMEOUT", new ComponentRef(ComponentKind.Job, job), nodes[0], at - 5, at, fatal: false)]);

    public static RemediationRun Run(string id, Diagnosis diagnosis, RemediationStep step, double at, long version = 1) =>
        new(
            id,
            diagnosis.Id,
            diagnosis.Suspect,
            [.. diagnosis.Nodes],
            [.. diagnosis.Gpus],
            step,
            0,
            [RemediationAction.ResetGpu],
            DrainMode.Immediate,
            false,
            false,
            null,
            "test",
            At(at),
            At(at),
            step is RemediationStep.Returned or RemediationStep.Rma or RemediationStep.Cancelled or RemediationStep.Refused ? At(at) : null,
            0,
            [],
            version);
}
