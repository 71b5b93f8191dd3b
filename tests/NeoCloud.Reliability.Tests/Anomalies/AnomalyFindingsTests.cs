using NeoCloud.Reliability.Anomalies;

namespace NeoCloud.Reliability.Tests.Anomalies;

public sealed class AnomalyFindingsTests
{
    [Fact]
    public void An_anomaly_becomes_a_warning_finding_on_its_node_with_a_stable_id()
    {
        var at = new DateTimeOffset(2026, 11, 5, 3, 0, 0, TimeSpan.Zero);
        var anomaly = new Anomaly("gpu_temp_max", at, at.AddMinutes(-30), 81.5, 64.2, 9.3, AnomalyDirection.Above);

        var finding = AnomalyFindings.ToFinding(anomaly, "n007");
        Assert.Equal("METRIC-ANOMALY", finding.Code);
        Assert.Equal("n007", finding.Node);
        Assert.False(finding.Fatal);
        Assert.Equal(at.AddMinutes(-30), finding.FirstSeenAt);
        Assert.StartsWith("fnd-", finding.Id, StringComparison.Ordinal);
        Assert.Equal(64.2, Assert.Single(finding.Evidence).Threshold);
        Assert.Equal(finding.Id, AnomalyFindings.ToFinding(anomaly, "n007").Id);
        Assert.NotEqual(finding.Id, AnomalyFindings.ToFinding(anomaly, "n008").Id);
    }
}
