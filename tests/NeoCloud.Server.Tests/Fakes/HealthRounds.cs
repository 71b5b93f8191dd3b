using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Pipeline;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>Health rounds as the pipeline hands them over: one fatal diagnosis of a node or a GPU with its finding.</summary>
public static class HealthRounds
{
    public static HealthRound NodeDown(string id, string node, DateTimeOffset at) => Round(
        at, new Diagnosis(
            id, new ComponentRef(ComponentKind.Node, node), 0.95, $"{node} stopped answering", RemedyHint.None, Fatal: true, at, [node], [],
            [new Finding("fnd-" + id, "HEARTBEAT-MISSING", new ComponentRef(ComponentKind.Node, node), Severity.Critical, true, at, at, $"{node} is silent", [])]));

    public static HealthRound GpuFault(string id, string gpu, DateTimeOffset at) => Round(
        at, new Diagnosis(
            id, new ComponentRef(ComponentKind.Gpu, gpu), 0.9, $"{gpu} raised XID 79", RemedyHint.None, Fatal: true, at, [gpu[..gpu.IndexOf('/', StringComparison.Ordinal)]], [gpu],
            [new Finding("fnd-" + id, "XID-79", new ComponentRef(ComponentKind.Gpu, gpu), Severity.Critical, true, at, at, $"{gpu} fell off the bus", [])]));

    private static HealthRound Round(DateTimeOffset at, Diagnosis diagnosis) => new(at, diagnosis.Findings, [diagnosis]);
}
