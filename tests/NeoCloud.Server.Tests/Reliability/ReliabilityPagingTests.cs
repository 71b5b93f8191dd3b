using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Health;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability;

/// <summary>Unacknowledged sev1/sev2 incidents escalate along the on-call schedule; the loop's own timer drives the flow.</summary>
public sealed class ReliabilityPagingTests : IDisposable
{
    private const string Node = "euw1-dc1-r01-n01";

    private const string Schedule = """
        apiVersion: neocloud.dev/v1
        kind: OnCallSchedule
        metadata:
          name: platform
        spec:
          rotations:
            - name: primary
              participants: [alice]
              start: 2020-01-06T00:00
              period: 7d
              timeZone: UTC
          escalation:
            repeat: 0
            levels:
              - targets: [{ rotation: primary }]
                escalateAfter: 15m
              - targets: [{ person: grace }]
                escalateAfter: 30m
        """;

    private readonly string _schedulePath = Path.Combine(Path.GetTempPath(), $"oncall-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task An_unacknowledged_page_escalates_from_the_person_on_call_to_the_next_level_and_stops_once_acknowledged()
    {
        await File.WriteAllTextAsync(_schedulePath, Schedule);
        await using var host = await NeoCloudTestHost.StartAsync(
            settings: new Dictionary<string, string>
            {
                ["NeoCloud:Reliability:StepInterval"] = "01:00:00",
                ["NeoCloud:Reliability:OnCallSchedulePath"] = _schedulePath,
            },
            moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var pager = host.Services.GetRequiredService<LoggingPager>();
        var t0 = runtime.Now;
        host.Services.GetRequiredService<HealthAlertFeed>().Enqueue(HealthRounds.NodeDown("dgn-0001", Node, t0));

        await runtime.StepAsync(t0, CancellationToken.None);
        await runtime.StepAsync(t0 + TimeSpan.FromSeconds(31), CancellationToken.None);
        await runtime.StepAsync(t0 + TimeSpan.FromMinutes(1), CancellationToken.None); // same level: no second page
        var first = ReliabilityPages(pager);
        Assert.Single(first);
        Assert.Contains("paging alice", first[0], StringComparison.Ordinal);

        await runtime.StepAsync(t0 + TimeSpan.FromMinutes(16), CancellationToken.None);
        var second = ReliabilityPages(pager);
        Assert.Equal(2, second.Count);
        Assert.Contains("paging grace", second[1], StringComparison.Ordinal);
        Assert.Contains("level 2", second[1], StringComparison.Ordinal);

        await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/ack", new { note = "got it", actor = "person:grace" });
        await runtime.StepAsync(t0 + TimeSpan.FromMinutes(17), CancellationToken.None);
        Assert.Equal(2, ReliabilityPages(pager).Count);
    }

    [Fact]
    public async Task The_loop_steps_on_its_own_timer_and_opens_an_incident_from_a_health_round()
    {
        await using var host = await NeoCloudTestHost.StartAsync(
            settings: new Dictionary<string, string> { ["NeoCloud:Reliability:StepInterval"] = "00:00:00.100", ["NeoCloud:Simulator:Speed"] = "120" },
            moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        host.Services.GetRequiredService<HealthAlertFeed>().Enqueue(HealthRounds.NodeDown("dgn-0001", Node, runtime.Now));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await host.Client.GetJsonAsync("/api/v1/incidents"))["items"]!.AsArray().Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The loop opened no incident within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public void Dispose()
    {
        if (File.Exists(_schedulePath))
        {
            File.Delete(_schedulePath);
        }
    }

    private static List<string> ReliabilityPages(LoggingPager pager) =>
        [.. pager.Recent().Where(p => p.Source.StartsWith("reliability:", StringComparison.Ordinal)).OrderBy(p => p.At).Select(p => p.Summary)];
}
