using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Server.Tests.Health;

/// <summary>Findings, diagnoses and runs as the engines would store them, for seeding the host's health store.</summary>
internal static class HealthRecords
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-1);

    public static Finding Finding(string id, string node, string code, TimeSpan delay, int gpu = 0, DateTimeOffset? at = null)
    {
        var detected = at ?? T0;
        return new Finding(
            id, code, new ComponentRef(ComponentKind.Gpu, $"{node}/gpu{gpu}"), Severity.Critical, true, detected - delay, detected,
            $"{code} on {node}/gpu{gpu}", [new Evidence(detected, $"{node}/gpu{gpu}", "xid", 79)]) { Node = node };
    }

    public static Diagnosis Diagnosis(string id, Finding finding) => new(
        id, finding.Component, 0.9, "one GPU raised a fatal XID; nothing else around it did", RemedyHint.ResetGpu, true, finding.DetectedAt,
        [finding.Node!], [finding.Component.Id], [finding]);

    public static RemediationRun Run(string id, string node, RemediationStep step, DateTimeOffset created, TimeSpan? took = null, bool approval = false) => new(
        id, "dgn-" + id, new ComponentRef(ComponentKind.Gpu, $"{node}/gpu0"), [node], [$"{node}/gpu0"], step, 0,
        [RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace], DrainMode.Immediate, false, approval, null,
        "XID 79 on one GPU", created, created, took is { } t ? created + t : null, 0,
        [new RemediationEvent(created, step, "created", "test")], 1);
}
