using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Tests.Alerting;

public sealed class AlertPipelineProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = [TopologyCorrelation.NodeDownAlert, "gpu-xid", "gpu-ecc"];
    private static readonly string[] Nodes = ["n0", "n1", "n2"];

    private static readonly Route Root = new("oncall")
    {
        GroupBy = ["node"],
        // A short repeat interval so that random runs of a few hours exercise repeats as well.
        RepeatInterval = TimeSpan.FromMinutes(30),
        Routes = [new Route("gpu") { Matchers = [Matcher.Regex("alertname", "gpu-.*")], GroupBy = ["alertname"], Continue = true }],
    };

    /// <summary>Each int is decoded into one step, so that FsCheck can shrink a failing run to a short list of numbers.</summary>
    private static Arbitrary<int[]> Steps => Gen.Choose(0, 2_159_999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property No_alert_is_sent_while_muted_and_no_group_notifies_twice_within_group_interval() =>
        Prop.ForAll(Steps, steps =>
        {
            var pipeline = new AlertPipeline(Root, [TopologyCorrelation.NodeDownInhibitsGpuAlerts]);
            var silences = new Dictionary<string, Silence>();
            var alerts = new Dictionary<(string Name, string Node), Alert>();
            var lastSent = new Dictionary<string, DateTimeOffset>();
            var now = T0;

            foreach (int step in steps)
            {
                now += TimeSpan.FromSeconds(step % 400);
                string name = Names[step / 2_000 % 3];
                string node = Nodes[step / 6_000 % 3];
                switch (step / 400 % 5)
                {
                    case 0 or 1:
                        var labels = name == TopologyCorrelation.NodeDownAlert
                            ? new[] { ("alertname", name), ("node", node) }
                            : [("alertname", name), ("node", node), ("gpu", "0")];
                        var fired = Alert.Firing(now, labels);
                        alerts[(name, node)] = fired;
                        pipeline.Receive([fired], now);
                        break;
                    case 2 when alerts.TryGetValue((name, node), out var firing) && !firing.IsResolvedAt(now):
                        var resolved = firing.ResolvedAt(now);
                        alerts[(name, node)] = resolved;
                        pipeline.Receive([resolved], now);
                        break;
                    case 3:
                        // Negative matchers need a positive one beside them: a silence that matches the empty label set is refused.
                        Matcher[] matchers = (step / 540_000) switch
                        {
                            0 => [Matcher.Equal("node", node)],
                            1 => [Matcher.Regex("node", "n[01]")],
                            2 => [Matcher.NotEqual("node", node), Matcher.Regex("node", "n.")],
                            _ => [Matcher.NotRegex("alertname", "gpu-.*"), Matcher.Regex("alertname", ".+")],
                        };
                        var silence = new Silence(node, matchers, now, now + TimeSpan.FromMinutes(step / 18_000 % 30 + 1));
                        silences[silence.Id] = silence;
                        pipeline.Silence(silence);
                        break;
                    case 4 when silences.TryGetValue(node, out var active):
                        silences[node] = active.ExpiredAt(now);
                        pipeline.ExpireSilence(node, now);
                        break;
                }

                foreach (var sent in pipeline.Flush(now))
                {
                    if (lastSent.TryGetValue(sent.GroupKey, out var previous) && sent.At - previous < Root.GroupInterval)
                    {
                        return false.Label($"{sent.GroupKey} notified at {previous:T} and again at {sent.At:T}");
                    }

                    lastSent[sent.GroupKey] = sent.At;
                    foreach (var alert in sent.Firing.Concat(sent.Resolved))
                    {
                        if (silences.Values.Any(s => s.Mutes(alert, now)))
                        {
                            return false.Label($"{alert["alertname"]} on {alert["node"]} sent at {now:T} under an active silence");
                        }
                    }

                    foreach (var alert in sent.Firing.Where(a => a["gpu"].Length > 0))
                    {
                        if (alerts.TryGetValue((TopologyCorrelation.NodeDownAlert, alert["node"]), out var down) && !down.IsResolvedAt(now))
                        {
                            return false.Label($"{alert["alertname"]} on {alert["node"]} sent at {now:T} while the node is down");
                        }
                    }
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 200)]
    public Property Every_resolved_alert_is_reported_at_most_once() =>
        Prop.ForAll(Steps, steps =>
        {
            var pipeline = new AlertPipeline(new Route("oncall") { GroupBy = ["node"] });
            var alerts = new Dictionary<string, Alert>();
            var reported = new HashSet<(ulong, DateTimeOffset)>();
            var now = T0;
            foreach (int step in steps)
            {
                now += TimeSpan.FromSeconds(step % 400);
                string node = Nodes[step / 6_000 % 3];
                var alert = step / 400 % 2 == 0 || !alerts.TryGetValue(node, out var known) || known.IsResolvedAt(now)
                    ? Alert.Firing(now, ("alertname", "gpu-xid"), ("node", node))
                    : known.ResolvedAt(now);
                alerts[node] = alert;
                pipeline.Receive([alert], now);
                foreach (var resolved in pipeline.Flush(now).SelectMany(n => n.Resolved))
                {
                    if (!reported.Add((resolved.Fingerprint, resolved.EndsAt!.Value)))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 300)]
    public Property The_inhibition_index_agrees_with_checking_every_source_against_every_target() =>
        Prop.ForAll(Steps, steps =>
        {
            InhibitRule[] rules =
            [
                TopologyCorrelation.NodeDownInhibitsGpuAlerts,
                new([Matcher.Equal("severity", "critical")], [Matcher.Regex("severity", "warning|critical")], ["rack", "node"]),
            ];
            var pipeline = new AlertPipeline(new Route("oncall"), rules);
            var now = T0 + TimeSpan.FromHours(1);
            var alerts = steps.Select(step => new Alert(
                [
                    KeyValuePair.Create("alertname", Names[step % 3]),
                    KeyValuePair.Create("node", Nodes[step / 3 % 3]),
                    KeyValuePair.Create("rack", step / 9 % 2 == 0 ? "r1" : ""),
                    KeyValuePair.Create("severity", step / 18 % 2 == 0 ? "critical" : "warning"),
                    KeyValuePair.Create("gpu", step / 36 % 2 == 0 ? "0" : ""),
                ],
                T0,
                step / 72 % 3 == 0 ? now : null)).ToList();
            pipeline.Receive(alerts, now);
            var live = alerts.GroupBy(a => a.Fingerprint).Select(g => g.Last()).ToList();

            return live.TrueForAll(target => pipeline.IsInhibited(target, now)
                == rules.Any(rule => live.Exists(source => !source.IsResolvedAt(now) && rule.Inhibits(source, target))));
        });
}
