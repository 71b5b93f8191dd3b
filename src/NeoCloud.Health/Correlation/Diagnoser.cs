using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Correlation;

/// <summary>
/// Decides which component is at fault by correlating findings across the topology and the jobs: one GPU; several GPUs
/// of one node (the host); many nodes under one leaf switch or PDU (the switch or the power, not each node); the same
/// application error on several GPUs of one job (the job, not the hardware).
/// </summary>
public sealed class Diagnoser
{
    public Diagnoser(FleetTopology topology, FaultCatalog catalog, DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("slice: diagnosis");
    }

    /// <summary>Takes a finding in; it is decided on at once or held for its correlation window.</summary>
    public void Add(Finding finding) => throw new NotImplementedException("slice: diagnosis");

    /// <summary>
    /// Decides every held finding whose window has passed at <paramref name="frame"/>.At (the frame's work map tells which
    /// GPUs belong to one job) and appends the diagnoses to <paramref name="output"/>. Each finding ends up in exactly one diagnosis.
    /// </summary>
    public void Decide(SignalFrame frame, List<Diagnosis> output) => throw new NotImplementedException("slice: diagnosis");

    /// <summary>Findings held, not yet decided.</summary>
    public int Pending => throw new NotImplementedException("slice: diagnosis");
}
