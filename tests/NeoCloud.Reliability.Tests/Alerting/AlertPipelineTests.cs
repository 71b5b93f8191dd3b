using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Tests.Alerting;

public sealed class AlertPipelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GroupInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RepeatInterval = TimeSpan.FromHours(4);

    private static Route ByAlertname => new("oncall") { GroupBy = ["alertname"] };

    private static Alert GpuXid(string node, DateTimeOffset at) =>
        Alert.Firing(at, ("alertname", "gpu-xid"), ("node", node), ("gpu", "0"));

    [Fact]
    public void The_defaults_are_alertmanagers()
    {
        var route = new Route("oncall");

        Assert.Equal((GroupWait, GroupInterval, RepeatInterval), (route.GroupWait, route.GroupInterval, route.RepeatInterval));
    }

    [Fact]
    public void A_new_group_waits_group_wait_before_its_first_notification()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0)], T0);

        Assert.Empty(pipeline.Flush(T0));
        Assert.Empty(pipeline.Flush(T0 + GroupWait - TimeSpan.FromSeconds(1)));
        var sent = Assert.Single(pipeline.Flush(T0 + GroupWait));

        Assert.Equal(NotificationKind.First, sent.Kind);
        Assert.Equal("oncall", sent.Receiver);
        Assert.Equal("0:{alertname=\"gpu-xid\"}", sent.GroupKey);
        Assert.Single(sent.Firing);
        Assert.Empty(sent.Resolved);
    }

    [Fact]
    public void Alerts_arriving_during_group_wait_go_out_together_in_the_first_notification()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0)], T0);
        pipeline.Receive([GpuXid("n2", T0 + TimeSpan.FromSeconds(10))], T0 + TimeSpan.FromSeconds(10));

        var sent = Assert.Single(pipeline.Flush(T0 + GroupWait));

        Assert.Equal(["n1", "n2"], sent.Firing.Select(a => a["node"]).Order());
    }

    [Fact]
    public void An_alert_older_than_group_wait_is_sent_at_once_by_a_new_group()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0 - TimeSpan.FromMinutes(10))], T0);

        Assert.Equal(NotificationKind.First, Assert.Single(pipeline.Flush(T0)).Kind);
    }

    [Fact]
    public void Changes_within_group_interval_are_batched_into_one_update()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0)], T0);
        var first = T0 + GroupWait;
        Assert.Single(pipeline.Flush(first));

        pipeline.Receive([GpuXid("n2", first + TimeSpan.FromMinutes(1))], first + TimeSpan.FromMinutes(1));
        pipeline.Receive([GpuXid("n3", first + TimeSpan.FromMinutes(2))], first + TimeSpan.FromMinutes(2));

        Assert.Empty(pipeline.Flush(first + TimeSpan.FromMinutes(2)));
        Assert.Empty(pipeline.Flush(first + GroupInterval - TimeSpan.FromSeconds(1)));
        var update = Assert.Single(pipeline.Flush(first + GroupInterval));
        Assert.Equal(NotificationKind.Update, update.Kind);
        Assert.Equal(["n1", "n2", "n3"], update.Firing.Select(a => a["node"]).Order());
    }

    [Fact]
    public void An_unchanged_firing_group_is_repeated_after_repeat_interval_and_not_before()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0)], T0);
        var first = T0 + GroupWait;
        Assert.Single(pipeline.Flush(first));

        var sends = new List<Notification>();
        for (var now = first + GroupInterval; now <= first + RepeatInterval; now += GroupInterval)
        {
            sends.AddRange(pipeline.Flush(now));
        }

        var repeat = Assert.Single(sends);
        Assert.Equal(NotificationKind.Repeat, repeat.Kind);
        Assert.Equal(first + RepeatInterval, repeat.At);
    }

    [Fact]
    public void A_resolved_alert_is_sent_once()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        var n1 = GpuXid("n1", T0);
        var n2 = GpuXid("n2", T0);
        pipeline.Receive([n1, n2], T0);
        var first = T0 + GroupWait;
        Assert.Single(pipeline.Flush(first));

        var resolvedAt = first + TimeSpan.FromMinutes(1);
        pipeline.Receive([n1.ResolvedAt(resolvedAt)], resolvedAt);
        var update = Assert.Single(pipeline.Flush(first + GroupInterval));
        Assert.Equal(NotificationKind.Update, update.Kind);
        Assert.Equal("n1", Assert.Single(update.Resolved)["node"]);
        Assert.Equal("n2", Assert.Single(update.Firing)["node"]);

        // Prometheus keeps re-sending resolved alerts for a while; they must not be reported again.
        pipeline.Receive([n1.ResolvedAt(resolvedAt)], first + GroupInterval + TimeSpan.FromMinutes(1));
        for (var now = first + 2 * GroupInterval; now < first + RepeatInterval; now += GroupInterval)
        {
            Assert.Empty(pipeline.Flush(now));
        }
    }

    [Fact]
    public void When_the_last_alert_resolves_the_receiver_is_told_once_and_the_group_goes()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        var n1 = GpuXid("n1", T0);
        pipeline.Receive([n1], T0);
        var first = T0 + GroupWait;
        Assert.Single(pipeline.Flush(first));

        pipeline.Receive([n1.ResolvedAt(first + TimeSpan.FromMinutes(1))], first + TimeSpan.FromMinutes(1));
        var update = Assert.Single(pipeline.Flush(first + GroupInterval));

        Assert.Empty(update.Firing);
        Assert.Single(update.Resolved);
        Assert.Empty(pipeline.Flush(first + 2 * GroupInterval));
        Assert.Empty(pipeline.GroupKeys);
    }

    [Fact]
    public void An_alert_that_fired_and_resolved_before_the_first_send_is_never_sent()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0).ResolvedAt(T0 + TimeSpan.FromSeconds(10))], T0 + TimeSpan.FromSeconds(10));

        Assert.Empty(pipeline.Flush(T0 + GroupWait));
    }

    [Fact]
    public void Alerts_are_grouped_by_the_group_by_labels_only()
    {
        var pipeline = new AlertPipeline(new Route("oncall") { GroupBy = ["node"] });
        pipeline.Receive(
        [
            Alert.Firing(T0, ("alertname", "gpu-xid"), ("node", "n1")),
            Alert.Firing(T0, ("alertname", "ecc"), ("node", "n1")),
            Alert.Firing(T0, ("alertname", "ecc"), ("node", "n2")),
        ], T0);

        var sent = pipeline.Flush(T0 + GroupWait);

        Assert.Equal([2, 1], sent.Select(n => n.Firing.Count));
        Assert.Equal(["0:{node=\"n1\"}", "0:{node=\"n2\"}"], sent.Select(n => n.GroupKey));
    }

    [Fact]
    public void A_child_route_takes_matching_alerts_and_continue_lets_later_routes_take_them_too()
    {
        var root = new Route("default")
        {
            Routes =
            [
                new Route("pager") { Matchers = [Matcher.Equal("severity", "page")], Continue = true },
                new Route("audit") { Matchers = [Matcher.Regex("severity", "page|ticket")] },
            ],
        };
        var pipeline = new AlertPipeline(root);
        pipeline.Receive(
        [
            Alert.Firing(T0, ("alertname", "a"), ("severity", "page")),
            Alert.Firing(T0, ("alertname", "b"), ("severity", "ticket")),
            Alert.Firing(T0, ("alertname", "c"), ("severity", "info")),
        ], T0);

        var sent = pipeline.Flush(T0 + GroupWait).ToDictionary(n => n.Receiver, n => n.Firing.Select(a => a["alertname"]).Order().ToList());

        Assert.Equal(["a"], sent["pager"]);
        Assert.Equal(["a", "b"], sent["audit"]);
        Assert.Equal(["c"], sent["default"]);
    }

    [Fact]
    public void A_firing_source_mutes_targets_whose_equal_labels_match()
    {
        var rule = new InhibitRule([Matcher.Equal("severity", "critical")], [Matcher.Equal("severity", "warning")], ["cluster"]);
        var pipeline = new AlertPipeline(new Route("oncall") { GroupBy = [Route.AllLabels] }, [rule]);
        pipeline.Receive(
        [
            Alert.Firing(T0, ("alertname", "down"), ("severity", "critical"), ("cluster", "eu")),
            Alert.Firing(T0, ("alertname", "slow"), ("severity", "warning"), ("cluster", "eu")),
            Alert.Firing(T0, ("alertname", "slow"), ("severity", "warning"), ("cluster", "us")),
        ], T0);

        var sent = pipeline.Flush(T0 + GroupWait).SelectMany(n => n.Firing).Select(a => (a["alertname"], a["cluster"])).Order().ToList();

        Assert.Equal([("down", "eu"), ("slow", "us")], sent);
    }

    [Fact]
    public void A_target_is_not_muted_when_no_source_fires()
    {
        var rule = new InhibitRule([Matcher.Equal("severity", "critical")], [Matcher.Equal("severity", "warning")], ["cluster"]);
        var pipeline = new AlertPipeline(ByAlertname, [rule]);
        var critical = Alert.Firing(T0, ("alertname", "down"), ("severity", "critical"), ("cluster", "eu"));
        var warning = Alert.Firing(T0, ("alertname", "slow"), ("severity", "warning"), ("cluster", "eu"));
        pipeline.Receive([critical.ResolvedAt(T0), warning], T0);

        Assert.False(pipeline.IsInhibited(warning, T0 + GroupWait));
        Assert.Equal("slow", Assert.Single(Assert.Single(pipeline.Flush(T0 + GroupWait)).Firing)["alertname"]);
    }

    [Fact]
    public void An_alert_matching_both_sides_of_a_rule_does_not_mute_itself()
    {
        var rule = new InhibitRule([Matcher.Equal("alertname", "x")], [Matcher.Equal("alertname", "x")], []);
        var pipeline = new AlertPipeline(ByAlertname, [rule]);
        var alert = Alert.Firing(T0, ("alertname", "x"));
        pipeline.Receive([alert], T0);

        Assert.False(pipeline.IsInhibited(alert, T0));
    }

    [Fact]
    public void Node_down_mutes_that_nodes_gpu_alerts_but_not_another_nodes()
    {
        var pipeline = new AlertPipeline(new Route("oncall") { GroupBy = ["node"] }, [TopologyCorrelation.NodeDownInhibitsGpuAlerts]);
        pipeline.Receive(
        [
            Alert.Firing(T0, ("alertname", "node-down"), ("node", "n1")),
            GpuXid("n1", T0),
            Alert.Firing(T0, ("alertname", "gpu-hot"), ("node", "n1"), ("gpu", "3")),
            GpuXid("n2", T0),
        ], T0);

        var sent = pipeline.Flush(T0 + GroupWait).SelectMany(n => n.Firing).Select(a => (a["alertname"], a["node"])).Order().ToList();

        Assert.Equal([("gpu-xid", "n2"), ("node-down", "n1")], sent);
    }

    [Fact]
    public void Gpu_alerts_muted_by_node_down_are_sent_once_the_node_is_back()
    {
        var pipeline = new AlertPipeline(new Route("oncall") { GroupBy = ["node"] }, [TopologyCorrelation.NodeDownInhibitsGpuAlerts]);
        var down = Alert.Firing(T0, ("alertname", "node-down"), ("node", "n1"));
        pipeline.Receive([down, GpuXid("n1", T0)], T0);
        Assert.Equal(["node-down"], Assert.Single(pipeline.Flush(T0 + GroupWait)).Firing.Select(a => a["alertname"]));

        var back = T0 + TimeSpan.FromMinutes(2);
        pipeline.Receive([down.ResolvedAt(back)], back);
        var update = Assert.Single(pipeline.Flush(T0 + GroupWait + GroupInterval));

        Assert.Equal(["gpu-xid"], update.Firing.Select(a => a["alertname"]));
        Assert.Equal(["node-down"], update.Resolved.Select(a => a["alertname"]));
    }

    [Fact]
    public void Alerts_under_one_failing_switch_share_one_group()
    {
        var root = new Route("oncall") { GroupBy = ["node"], Routes = [TopologyCorrelation.GroupByFailureDomain("switch", "network")] };
        var pipeline = new AlertPipeline(root);
        pipeline.Receive(
        [
            Alert.Firing(T0, ("alertname", "node-unreachable"), ("node", "n1"), ("switch", "leaf-7")),
            Alert.Firing(T0, ("alertname", "node-unreachable"), ("node", "n2"), ("switch", "leaf-7")),
            Alert.Firing(T0, ("alertname", "nccl-timeout"), ("node", "n3"), ("switch", "leaf-7")),
            Alert.Firing(T0, ("alertname", "gpu-xid"), ("node", "n9")),
        ], T0);

        var sent = pipeline.Flush(T0 + GroupWait);

        var network = Assert.Single(sent, n => n.Receiver == "network");
        Assert.Equal("0/0:{switch=\"leaf-7\"}", network.GroupKey);
        Assert.Equal(3, network.Firing.Count);
        Assert.Equal("n9", Assert.Single(Assert.Single(sent, n => n.Receiver == "oncall").Firing)["node"]);
    }

    [Fact]
    public void A_silenced_alert_is_not_sent_and_is_sent_once_the_silence_expires()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Silence(new Silence("s1", [Matcher.Equal("node", "n1")], T0, T0 + TimeSpan.FromHours(1)));
        pipeline.Receive([GpuXid("n1", T0), GpuXid("n2", T0)], T0);

        Assert.Equal(["n2"], Assert.Single(pipeline.Flush(T0 + GroupWait)).Firing.Select(a => a["node"]));

        var update = pipeline.Flush(T0 + TimeSpan.FromHours(1) + GroupWait).Single();
        Assert.Equal(NotificationKind.Update, update.Kind);
        Assert.Equal(["n1", "n2"], update.Firing.Select(a => a["node"]).Order());
    }

    [Fact]
    public void Expiring_a_silence_early_stops_it_muting()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Silence(new Silence("s1", [Matcher.Equal("alertname", "gpu-xid")], T0, T0 + TimeSpan.FromDays(1)));
        pipeline.Receive([GpuXid("n1", T0)], T0);
        Assert.Empty(pipeline.Flush(T0 + GroupWait));

        Assert.True(pipeline.ExpireSilence("s1", T0 + TimeSpan.FromMinutes(1)));

        Assert.Single(pipeline.Flush(T0 + GroupWait + GroupInterval));
        Assert.False(pipeline.ExpireSilence("missing", T0));
    }

    [Fact]
    public void A_silence_that_has_not_started_mutes_nothing()
    {
        var silence = new Silence("s1", [Matcher.Equal("node", "n1")], T0 + TimeSpan.FromHours(1), T0 + TimeSpan.FromHours(2));

        Assert.False(silence.Mutes(GpuXid("n1", T0), T0));
        Assert.True(silence.Mutes(GpuXid("n1", T0), T0 + TimeSpan.FromHours(1)));
        Assert.False(silence.Mutes(GpuXid("n1", T0), T0 + TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Regex_silences_are_anchored_and_negative_matchers_exclude()
    {
        var silence = new Silence("s1", [Matcher.Regex("node", "n[0-9]+"), Matcher.NotRegex("gpu", "[4-7]")], T0, T0 + TimeSpan.FromHours(1));

        Assert.True(silence.Mutes(Alert.Firing(T0, ("node", "n12"), ("gpu", "0")), T0));
        Assert.False(silence.Mutes(Alert.Firing(T0, ("node", "n12x"), ("gpu", "0")), T0));
        Assert.False(silence.Mutes(Alert.Firing(T0, ("node", "xn12"), ("gpu", "0")), T0));
        Assert.False(silence.Mutes(Alert.Firing(T0, ("node", "n12"), ("gpu", "5")), T0));
    }

    [Fact]
    public void An_alert_that_flaps_back_rejoins_its_emptied_group_and_waits_for_the_group_interval()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        var n1 = GpuXid("n1", T0);
        pipeline.Receive([n1], T0);
        var first = T0 + GroupWait;
        Assert.Single(pipeline.Flush(first));
        pipeline.Receive([n1.ResolvedAt(first + TimeSpan.FromSeconds(10))], first + TimeSpan.FromSeconds(10));
        var resolvedSent = first + GroupInterval;
        Assert.Single(Assert.Single(pipeline.Flush(resolvedSent)).Resolved);

        var again = resolvedSent + TimeSpan.FromSeconds(5);
        pipeline.Receive([GpuXid("n1", again)], again);

        Assert.Empty(pipeline.Flush(again + GroupWait));
        Assert.Equal(resolvedSent + GroupInterval, pipeline.NextFlushAt);
        var back = Assert.Single(pipeline.Flush(resolvedSent + GroupInterval));
        Assert.Equal(NotificationKind.Update, back.Kind);
        Assert.Equal(again, Assert.Single(back.Firing).StartsAt);
    }

    [Fact]
    public void A_re_sent_firing_alert_keeps_its_first_start()
    {
        var pipeline = new AlertPipeline(ByAlertname);
        pipeline.Receive([GpuXid("n1", T0)], T0);
        pipeline.Receive([GpuXid("n1", T0 + TimeSpan.FromSeconds(15))], T0 + TimeSpan.FromSeconds(15));

        Assert.Equal(T0, Assert.Single(Assert.Single(pipeline.Flush(T0 + GroupWait)).Firing).StartsAt);
    }

    [Fact]
    public void A_silence_that_would_mute_everything_or_ends_before_it_starts_is_refused()
    {
        var pipeline = new AlertPipeline(ByAlertname);

        Assert.Throws<ArgumentException>(() => pipeline.Silence(new Silence("all", [], T0, T0 + TimeSpan.FromHours(1))));
        Assert.Throws<ArgumentException>(() => pipeline.Silence(new Silence("all", [Matcher.Regex("node", ".*")], T0, T0 + TimeSpan.FromHours(1))));
        Assert.Throws<ArgumentException>(() => pipeline.Silence(new Silence("back", [Matcher.Equal("node", "n1")], T0, T0)));
        Assert.Empty(pipeline.Silences);
    }
}
