using Microsoft.Extensions.Logging.Abstractions;
using NeoCloud.Health.Signals;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Anomalies;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability;

public sealed class AnomalyFeedTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_node_running_hotter_than_usual_for_its_hour_becomes_a_finding_and_an_alert_before_it_throttles()
    {
        var topology = TestFleet.Generate();
        var store = new InMemoryHealthStore();
        var feed = new AnomalyFeed(new AnomalyWatch(), store, NullLogger<AnomalyFeed>.Instance);
        var frame = new SignalFrame(topology);
        string hot = topology.Nodes[1].Id.ToString();
        var end = T0.AddDays(4).AddHours(6);
        for (var at = T0; at < end; at = at.AddMinutes(5))
        {
            frame.Begin(at);
            for (int n = 0; n < topology.Nodes.Count; n++)
            {
                frame.NodeAnswered[n] = true;
                for (int g = topology.GpuOffsets[n]; g < topology.GpuOffsets[n + 1]; g++)
                {
                    // A daily cycle (busier by day), a little spread between GPUs; node 1 starts warming on day 5.
                    double usual = 62 + (6 * Math.Sin(2 * Math.PI * at.TimeOfDay.TotalHours / 24)) + (g % 3);
                    double warming = n == 1 && at >= T0.AddDays(4) ? 3 * (at - T0.AddDays(4)).TotalHours : 0;
                    frame.Gpus[g].Present = true;
                    frame.Gpus[g].GpuTempC = (float)(usual + warming);
                }
            }

            await feed.ObserveAsync(frame, CancellationToken.None);
        }

        var findings = await store.ListFindingsAsync(new FindingQuery(Code: AnomalyFindings.Code), CancellationToken.None);
        var finding = Assert.Single(findings.Items);
        Assert.Equal(hot, finding.Node);
        var alert = Assert.Single(feed.Alerts(end));
        Assert.Equal(hot, alert[IncidentLabels.Node]);
        Assert.Equal(finding.Id, alert[IncidentLabels.Finding]);

        // Raised while the node was still far below an 85 °C slowdown threshold.
        Assert.True(finding.Evidence[0].Value < 80, $"raised at {finding.Evidence[0].Value:0.0} °C");
    }
}
