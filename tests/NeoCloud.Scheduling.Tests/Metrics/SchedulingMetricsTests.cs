using System.Diagnostics.Metrics;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Metrics;
using NeoCloud.Scheduling.Tests.Fakes;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Metrics;

public sealed class SchedulingMetricsTests
{
    [Fact]
    public void A_cycle_reports_placement_latency_preemptions_by_reason_queue_depth_and_gpu_allocation()
    {
        using var metrics = new SchedulingMetrics();
        var seen = new List<(string Name, double Value, string? Tag)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == null || instrument.Meter.Name != SchedulingMetrics.MeterName)
                {
                    return;
                }

                l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, Tag(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, Tag(tags))));
        listener.Start();
        var scheduler = new ClusterScheduler(new FirstFitGangPlacer(Nodes(1)), new SchedulerOptions(), metrics);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 5, at: 1));
        scheduler.Submit(Job("waiting", "a", gpus: 8, at: 2));

        scheduler.RunCycle(At(10));
        listener.RecordObservableInstruments();

        Assert.Contains(seen, m => m.Name == "placement_seconds" && m.Value >= 0);
        Assert.Contains(seen, m => m.Name == "preemptions_total" && m.Tag == "priority_within_queue" && m.Value == 1);
        Assert.Contains(seen, m => m.Name == "queue_depth" && m.Tag == "a" && m.Value == 1);
        Assert.Contains(seen, m => m.Name == "queue_wait_seconds" && m.Tag == "a" && m.Value == 480);
        Assert.Contains(seen, m => m.Name == "gpu_allocation_ratio" && m.Value == 1);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length == 0 ? null : tags[0].Value?.ToString();
}
