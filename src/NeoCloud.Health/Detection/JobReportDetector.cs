using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// Turns what a job says about itself into findings: a collective timeout points at the job (the hardware may be fine;
/// diagnosis decides), a numeric anomaly at the GPU the job blames, or at the job when it could not tell.
/// </summary>
internal sealed class JobReportDetector(FleetTopology topology, FaultCatalog catalog, FindingIssuer issuer)
{
    private readonly FaultCode _timeout = catalog.Get("NCCL-TIMEOUT");
    private readonly FaultCode _anomaly = catalog.Get("NUMERIC-ANOMALY");

    public void Observe(JobReport report, IFindingSink sink)
    {
        if (string.IsNullOrWhiteSpace(report.JobName))
        {
            throw new ArgumentException($"A job report ({report.Kind} at {report.At:O}) names no job.", nameof(report));
        }

        if (report.Gpus is null)
        {
            throw new ArgumentException($"The job report of '{report.JobName}' ({report.Kind}) has no GPU list.", nameof(report));
        }

        var evidence = new Evidence[report.Gpus.Count + 1];
        evidence[0] = new Evidence(report.At, report.JobName, report.Kind == JobReportKind.CollectiveTimeout ? "collective_timeout" : "numeric_anomaly", 1);
        for (int i = 0; i < report.Gpus.Count; i++)
        {
            evidence[i + 1] = new Evidence(report.At, report.Gpus[i].Value, "job_gpu", report.Gpus[i] == report.Suspect ? 1 : 0);
        }

        switch (report.Kind)
        {
            case JobReportKind.CollectiveTimeout:
                sink.Raise(issuer.Issue(
                    _timeout, new ComponentRef(ComponentKind.Job, report.JobName), null, report.At, report.At,
                    $"Job {report.JobName} reported a collective timeout on {report.Gpus.Count} GPUs: {report.Message}", evidence, report.Work));
                break;
            case JobReportKind.NumericAnomaly when report.Suspect is { } suspect:
                var node = suspect.Node;
                if (!topology.TryGetNodeIndex(node, out _))
                {
                    throw new ArgumentException($"The job report of '{report.JobName}' blames GPU '{suspect.Value}', whose node is not in fleet '{topology.Name}'.", nameof(report));
                }

                sink.Raise(issuer.Issue(
                    _anomaly, new ComponentRef(ComponentKind.Gpu, suspect.Value), node.Value, report.At, report.At,
                    $"Job {report.JobName} saw wrong numbers and blames GPU {suspect.Value}: {report.Message}", evidence, report.Work));
                break;
            case JobReportKind.NumericAnomaly:
                sink.Raise(issuer.Issue(
                    _anomaly, new ComponentRef(ComponentKind.Job, report.JobName), null, report.At, report.At,
                    $"Job {report.JobName} saw wrong numbers on one of its {report.Gpus.Count} GPUs and could not tell which: {report.Message}", evidence, report.Work));
                break;
            default:
                throw new ArgumentException($"The job report of '{report.JobName}' has an unknown kind {(int)report.Kind}.", nameof(report));
        }
    }
}
