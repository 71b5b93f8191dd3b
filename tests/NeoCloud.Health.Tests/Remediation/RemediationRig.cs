using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Tests.Fakes;

namespace NeoCloud.Health.Tests.Remediation;

/// <summary>The engine over hand-written fakes and a fake clock; <see cref="NewEngine"/> makes a second engine over the same store (a restart).</summary>
internal sealed class RemediationRig
{
    private int _diagnoses;

    public RemediationRig(RemediationPolicy? policy = null)
    {
        // Generous cluster limits by default: the small test sites would otherwise allow one node at a time.
        Policy = policy ?? new RemediationPolicy { MaxClusterFraction = 0.5 };
        Engine = NewEngine();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public FakeHealthStore Store { get; } = new();

    public FakeRemediationFleet Fleet { get; } = new();

    public FakeWorkloadMover Workloads { get; } = new();

    public FakeActuator Actuator { get; } = new();

    public RecordingPager Pager { get; } = new();

    public RecordingAuditTrail Audit { get; } = new();

    public RemediationPolicy Policy { get; }

    public FleetTopology Topology => RemediationFleet.Topology;

    public RemediationEngine Engine { get; private set; }

    public RemediationEngine NewEngine()
    {
        Engine = new RemediationEngine(Store, Fleet, Workloads, Actuator, Pager, Audit, Topology, Policy, Clock, NullLogger<RemediationEngine>.Instance);
        return Engine;
    }

    public Task AdvanceAsync() => Engine.AdvanceAsync(CancellationToken.None);

    public async Task<RemediationRun> RunAsync(string id) => (await Store.GetRunAsync(id, CancellationToken.None))!;

    public async Task<RemediationRun> ProposeAsync(Diagnosis diagnosis) =>
        await Engine.ProposeAsync(diagnosis, CancellationToken.None) ?? throw new InvalidOperationException($"No run for {diagnosis.Id}.");

    public Diagnosis GpuFault(string gpu, RemedyHint remedy, bool fatal = true, string code = "XID-79")
    {
        string node = gpu[..gpu.IndexOf('/', StringComparison.Ordinal)];
        return Diagnose(new ComponentRef(ComponentKind.Gpu, gpu), remedy, fatal, [node], [gpu], code);
    }

    public Diagnosis NodeFault(string node, RemedyHint remedy, bool fatal = true) =>
        Diagnose(new ComponentRef(ComponentKind.Node, node), remedy, fatal, [node], [], "HEARTBEAT-MISSING");

    public Diagnosis Diagnose(ComponentRef suspect, RemedyHint remedy, bool fatal, IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string code)
    {
        var now = Clock.GetUtcNow();
        string id = $"dgn-{++_diagnoses:D4}";
        var finding = new Finding($"fnd-{_diagnoses:D4}", code, suspect, Severity.Critical, fatal, now, now, $"{code} on {suspect}", [new Evidence(now, suspect.Id, code, 1)]);
        return new Diagnosis(id, suspect, 0.9, $"{code} on {suspect}", remedy, fatal, now, nodes, gpus, [finding]);
    }
}
