using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;
using static NeoCloud.Health.Tests.Correlation.CorrelationFleet;

namespace NeoCloud.Health.Tests.Correlation;

public sealed class DiagnoserTests
{
    private static readonly DiagnosisOptions Options = new();
    private static readonly TimeSpan Window = Options.CorrelationWindow;
    private readonly Diagnoser _diagnoser = new(TwoLeafGroups, FaultCatalog.Default, Options);
    private readonly SignalFrame _frame = new(TwoLeafGroups);

    private List<Diagnosis> Decide(DateTimeOffset at, params Finding[] findings) => DecideAt(_diagnoser, _frame, at, findings);

    private static IEnumerable<string> LeafGroupNodes(string leafGroup)
    {
        foreach (int n in TwoLeafGroups.NodesInLeafGroup(leafGroup).ToArray())
        {
            yield return TwoLeafGroups.Nodes[n].Id.Value;
        }
    }

    [Fact]
    public void Leaf_switch_failure_under_32_nodes_is_one_switch_diagnosis_and_no_node_or_port_is_blamed()
    {
        var nodes = LeafGroupNodes("euw1-dc1-su1-l01").ToList();
        Assert.Equal(32, nodes.Count);
        var findings = nodes.Select((n, i) => OnPort("IB-LINK-DOWNED", Port(n, 3), T0.AddSeconds(i % 4))).ToArray();

        var diagnoses = Decide(T0 + Window, findings);

        var switchDiagnosis = Assert.Single(diagnoses);
        Assert.Equal(new ComponentRef(ComponentKind.Switch, "euw1-dc1-su1-l01-r3"), switchDiagnosis.Suspect);
        Assert.True(TwoLeafGroups.TryGetSwitch(new Kernel.Ids.SwitchId(switchDiagnosis.Suspect.Id), out var leaf));
        Assert.Equal((SwitchTier.Leaf, 3, "euw1-dc1-su1-l01"), (leaf.Tier, leaf.Rail, leaf.LeafGroup));
        Assert.Equal(RemedyHint.RepairFabric, switchDiagnosis.Remedy);
        Assert.True(switchDiagnosis.Fatal);
        Assert.Equal(nodes.Order(StringComparer.Ordinal), switchDiagnosis.Nodes.Order(StringComparer.Ordinal));
        Assert.Empty(switchDiagnosis.Gpus);
        Assert.Equal(32, switchDiagnosis.Findings.Count);
        Assert.Contains("32 of 32 nodes of leaf group euw1-dc1-su1-l01 lost rail 3 at once", switchDiagnosis.Reasoning, StringComparison.Ordinal);
        Assert.InRange(switchDiagnosis.Confidence, 0.9, 1.0);
        Assert.Equal(0, _diagnoser.Pending);
    }

    [Fact]
    public void Half_a_leaf_group_losing_one_rail_is_still_the_switch_with_less_confidence()
    {
        var nodes = LeafGroupNodes("euw1-dc1-su1-l02").Take(16).ToList();

        var diagnosis = Assert.Single(Decide(T0 + Window, [.. nodes.Select(n => OnPort("IB-LINK-DOWNED", Port(n, 5), T0))]));

        Assert.Equal(new ComponentRef(ComponentKind.Switch, "euw1-dc1-su1-l02-r5"), diagnosis.Suspect);
        Assert.Equal(32, diagnosis.Nodes.Count);
        Assert.InRange(diagnosis.Confidence, 0.7, 0.8);
    }

    [Fact]
    public void One_cable_is_blamed_on_its_port()
    {
        string node = Node(3, 2);

        var diagnosis = Assert.Single(Decide(T0 + Window, OnPort("IB-LINK-DOWNED", Port(node, 6), T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Port, Port(node, 6)), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RepairFabric, diagnosis.Remedy);
        Assert.True(diagnosis.Fatal);
        Assert.Equal([node], diagnosis.Nodes);
        Assert.Contains("no other node of leaf group euw1-dc1-su1-l01 lost rail 6", diagnosis.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_ports_of_one_rail_below_the_shared_cause_threshold_are_each_their_own_port()
    {
        var nodes = LeafGroupNodes("euw1-dc1-su1-l01").Take(5).ToList();

        var diagnoses = Decide(T0 + Window, [.. nodes.Select(n => OnPort("IB-SYMBOL-ERROR-RATE", Port(n, 1), T0))]);

        Assert.Equal(5, diagnoses.Count);
        Assert.All(diagnoses, d => Assert.Equal(ComponentKind.Port, d.Suspect.Kind));
        Assert.All(diagnoses, d => Assert.False(d.Fatal));
        Assert.Contains("5 of 32 nodes", diagnoses[0].Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_port_findings_on_one_port_make_one_diagnosis()
    {
        string port = Port(Node(9, 1), 2);

        var diagnosis = Assert.Single(Decide(
            T0 + Window, OnPort("IB-SYMBOL-ERROR-RATE", port, T0), OnPort("IB-LINK-DOWNED", port, T0.AddSeconds(3))));

        Assert.Equal(2, diagnosis.Findings.Count);
        Assert.True(diagnosis.Fatal);
    }

    [Fact]
    public void Fatal_faults_on_several_ports_of_one_node_are_the_node_not_each_cable()
    {
        string node = Node(2, 3);

        var diagnosis = Assert.Single(Decide(
            T0 + Window,
            OnPort("IB-LINK-DOWNED", Port(node, 0), T0), OnPort("IB-LINK-DOWNED", Port(node, 4), T0), OnPort("IB-SYMBOL-ERROR-RATE", Port(node, 7), T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Node, node), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RebootNode, diagnosis.Remedy);
        Assert.Equal(3, diagnosis.Findings.Count);
    }

    [Fact]
    public void A_warning_on_several_ports_of_one_node_stays_with_each_port()
    {
        string node = Node(2, 3);

        var diagnoses = Decide(T0 + Window, OnPort("IB-SYMBOL-ERROR-RATE", Port(node, 0), T0), OnPort("IB-RCV-ERRORS", Port(node, 4), T0));

        Assert.Equal(2, diagnoses.Count);
        Assert.All(diagnoses, d => Assert.Equal(ComponentKind.Port, d.Suspect.Kind));
    }

    [Fact]
    public void Port_findings_are_held_until_the_window_passes_and_not_before()
    {
        var finding = OnPort("IB-LINK-DOWNED", Port(Node(1, 1), 0), T0);

        Assert.Empty(Decide(T0, finding));
        Assert.Empty(Decide(T0 + Window - TimeSpan.FromSeconds(1)));
        Assert.Equal(1, _diagnoser.Pending);

        var diagnosis = Assert.Single(Decide(T0 + Window));
        Assert.Same(finding, Assert.Single(diagnosis.Findings));
        Assert.Equal(0, _diagnoser.Pending);
    }

    [Fact]
    public void The_window_counts_from_the_first_finding_under_the_switch()
    {
        var nodes = LeafGroupNodes("euw1-dc1-su1-l01").ToList();
        Assert.Empty(Decide(T0, [.. nodes.Take(10).Select(n => OnPort("IB-LINK-DOWNED", Port(n, 0), T0))]));
        Assert.Empty(Decide(T0.AddSeconds(15), [.. nodes.Skip(10).Select(n => OnPort("IB-LINK-DOWNED", Port(n, 0), T0.AddSeconds(15)))]));

        var diagnosis = Assert.Single(Decide(T0 + Window));

        Assert.Equal(ComponentKind.Switch, diagnosis.Suspect.Kind);
        Assert.Equal(32, diagnosis.Findings.Count);
    }

    [Fact]
    public void A_late_port_finding_under_a_blamed_switch_joins_the_switch_at_once()
    {
        var nodes = LeafGroupNodes("euw1-dc1-su1-l01").ToList();
        var first = Assert.Single(Decide(T0 + Window, [.. nodes.Take(30).Select(n => OnPort("IB-LINK-DOWNED", Port(n, 4), T0))]));
        var late = T0 + Window + TimeSpan.FromSeconds(10);

        var diagnosis = Assert.Single(Decide(late, OnPort("IB-LINK-DOWNED", Port(nodes[31], 4), late)));

        Assert.Equal(first.Suspect, diagnosis.Suspect);
        Assert.Contains(first.Id, diagnosis.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_pdu_is_one_pdu_diagnosis()
    {
        var onPdu = TwoLeafGroups.NodesOnPdu(new Kernel.Ids.PduId("euw1-dc1-r05-pdu1")).ToArray().Select(n => TwoLeafGroups.Nodes[n].Id.Value).ToList();
        Assert.Equal(4, onPdu.Count);

        var diagnosis = Assert.Single(Decide(T0 + Window, [.. onPdu.Select(n => Heartbeat(n, T0))]));

        Assert.Equal(new ComponentRef(ComponentKind.Pdu, "euw1-dc1-r05-pdu1"), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RepairPower, diagnosis.Remedy);
        Assert.Equal(onPdu, diagnosis.Nodes);
        Assert.Equal(4, diagnosis.Findings.Count);
    }

    [Fact]
    public void A_pdu_feeding_two_nodes_is_blamed_when_both_go_silent_at_once()
    {
        var fleet = TwoPdusPerRack;
        var pdu = fleet.Nodes[0].Pdu;
        var onPdu = fleet.NodesOnPdu(pdu).ToArray().Select(n => fleet.Nodes[n].Id.Value).ToList();
        Assert.Equal(2, onPdu.Count);
        var diagnoser = new Diagnoser(fleet, FaultCatalog.Default, Options);

        var diagnosis = Assert.Single(DecideAt(diagnoser, new SignalFrame(fleet), T0 + Window, [.. onPdu.Select(n => Heartbeat(n, T0))]));

        Assert.Equal(new ComponentRef(ComponentKind.Pdu, pdu.Value), diagnosis.Suspect);
    }

    [Fact]
    public void A_dark_rack_is_each_of_its_pdus_and_no_node()
    {
        var fleet = TwoPdusPerRack;
        var rack = fleet.Nodes[0].Rack;
        var nodes = fleet.NodesInRack(rack).ToArray().Select(n => fleet.Nodes[n].Id.Value).ToList();
        var diagnoser = new Diagnoser(fleet, FaultCatalog.Default, Options);

        var diagnoses = DecideAt(diagnoser, new SignalFrame(fleet), T0 + Window, [.. nodes.Select(n => Heartbeat(n, T0))]);

        Assert.Equal(2, diagnoses.Count);
        Assert.All(diagnoses, d => Assert.Equal(ComponentKind.Pdu, d.Suspect.Kind));
        Assert.Equal(nodes.Order(StringComparer.Ordinal), diagnoses.SelectMany(d => d.Nodes).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Two_silent_nodes_of_a_four_node_pdu_are_each_their_own_node()
    {
        var onPdu = TwoLeafGroups.NodesOnPdu(new Kernel.Ids.PduId("euw1-dc1-r06-pdu1")).ToArray().Select(n => TwoLeafGroups.Nodes[n].Id.Value).ToList();

        var diagnoses = Decide(T0 + Window, Heartbeat(onPdu[0], T0), Heartbeat(onPdu[2], T0));

        Assert.Equal(2, diagnoses.Count);
        Assert.All(diagnoses, d => Assert.Equal((ComponentKind.Node, RemedyHint.RebootNode), (d.Suspect.Kind, d.Remedy)));
        Assert.Contains("2 of 4 nodes of PDU euw1-dc1-r06-pdu1", diagnoses[0].Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_node_heartbeat_is_the_node()
    {
        string node = Node(7, 3);

        var diagnosis = Assert.Single(Decide(T0 + Window, Heartbeat(node, T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Node, node), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RebootNode, diagnosis.Remedy);
        Assert.True(diagnosis.Fatal);
        Assert.Equal([node], diagnosis.Nodes);
    }

    [Fact]
    public void Xid_13_on_six_gpus_of_one_job_is_one_job_diagnosis_with_no_hardware_remedy()
    {
        const long work = 4242;
        string a = Node(2, 1), b = Node(2, 2);
        string[] gpus = [Gpu(a, 0), Gpu(a, 1), Gpu(a, 2), Gpu(b, 0), Gpu(b, 1), Gpu(b, 2)];
        Decide(T0); // the frame's work map tells the job; the findings carry no work key themselves
        foreach (string gpu in gpus)
        {
            _frame.WorkOfGpu[GpuIndex(gpu)] = work;
        }

        var diagnosis = Assert.Single(Decide(T0 + Options.JobWindow, [.. gpus.Select((g, i) => OnGpu("XID-13", g, T0.AddSeconds(i)))]));

        Assert.Equal(ComponentKind.Job, diagnosis.Suspect.Kind);
        Assert.Equal(RemedyHint.RestartApplication, diagnosis.Remedy);
        Assert.False(diagnosis.Fatal);
        Assert.Equal(work, diagnosis.Work);
        Assert.Equal(gpus.Order(StringComparer.Ordinal), diagnosis.Gpus);
        Assert.Equal([a, b], diagnosis.Nodes);
        Assert.Contains("6 GPUs of one job", diagnosis.Reasoning, StringComparison.Ordinal);
        Assert.Contains("not the hardware", diagnosis.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Xid_13_twice_on_one_gpu_calls_for_diagnostics_on_that_gpu()
    {
        string gpu = Gpu(Node(4, 4), 5);

        var first = Assert.Single(Decide(T0 + Options.JobWindow, OnGpu("XID-13", gpu, T0, work: 7)));
        var later = T0.AddHours(3);
        var second = Assert.Single(Decide(later + Options.JobWindow, OnGpu("XID-13", gpu, later, work: 8)));

        Assert.Equal(ComponentKind.Job, first.Suspect.Kind);
        Assert.Equal(RemedyHint.RestartApplication, first.Remedy);
        Assert.Equal(new ComponentRef(ComponentKind.Gpu, gpu), second.Suspect);
        Assert.Equal(RemedyHint.Diagnose, second.Remedy);
        Assert.Contains("2 times", second.Reasoning, StringComparison.Ordinal);
        Assert.True(second.Confidence > first.Confidence);
    }

    [Fact]
    public void Xid_13_again_on_a_gpu_after_the_repeat_window_is_the_job_again()
    {
        string gpu = Gpu(Node(4, 4), 5);

        Decide(T0 + Options.JobWindow, OnGpu("XID-13", gpu, T0, work: 7));
        var later = T0 + Options.RepeatWindow + TimeSpan.FromHours(1);
        var second = Assert.Single(Decide(later + Options.JobWindow, OnGpu("XID-13", gpu, later, work: 8)));

        Assert.Equal(ComponentKind.Job, second.Suspect.Kind);
    }

    [Fact]
    public void An_application_error_on_a_gpu_with_no_work_blames_no_job_and_does_nothing()
    {
        string gpu = Gpu(Node(5, 1), 1);

        var diagnosis = Assert.Single(Decide(T0 + Options.JobWindow, OnGpu("XID-13", gpu, T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Gpu, gpu), diagnosis.Suspect);
        Assert.Equal(RemedyHint.None, diagnosis.Remedy);
        Assert.False(diagnosis.Fatal);
    }

    [Fact]
    public void A_collective_timeout_alone_is_the_job()
    {
        var timeout = Found("NCCL-TIMEOUT", ComponentKind.Job, "train-llm-7b", T0, work: 99);

        var diagnosis = Assert.Single(Decide(T0 + Options.JobWindow, timeout));

        Assert.Equal(new ComponentRef(ComponentKind.Job, "train-llm-7b"), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RestartApplication, diagnosis.Remedy);
        Assert.False(diagnosis.Fatal);
        Assert.Equal(99, diagnosis.Work);
    }

    [Fact]
    public void Application_findings_are_held_for_the_job_window_and_not_before()
    {
        Assert.Empty(Decide(T0 + Options.JobWindow - TimeSpan.FromMilliseconds(1), OnGpu("XID-31", Gpu(Node(6, 1), 0), T0, work: 5)));
        Assert.Equal(1, _diagnoser.Pending);
        Assert.Single(Decide(T0 + Options.JobWindow));
        Assert.Equal(0, _diagnoser.Pending);
    }

    [Fact]
    public void Xid_79_on_one_gpu_is_the_gpu_with_a_node_reboot_decided_at_once()
    {
        string gpu = Gpu(Node(10, 2), 3);

        var diagnosis = Assert.Single(Decide(T0, OnGpu("XID-79", gpu, T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Gpu, gpu), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RebootNode, diagnosis.Remedy);
        Assert.True(diagnosis.Fatal);
        Assert.Equal([gpu], diagnosis.Gpus);
        Assert.Equal([Node(10, 2)], diagnosis.Nodes);
    }

    [Fact]
    public void Fatal_xids_on_three_gpus_of_one_node_are_the_node()
    {
        string node = Node(11, 1);

        var diagnosis = Assert.Single(Decide(
            T0, OnGpu("XID-79", Gpu(node, 0), T0), OnGpu("XID-79", Gpu(node, 4), T0), OnGpu("XID-48", Gpu(node, 6), T0)));

        Assert.Equal(new ComponentRef(ComponentKind.Node, node), diagnosis.Suspect);
        Assert.Equal(RemedyHint.RebootNode, diagnosis.Remedy);
        Assert.True(diagnosis.Fatal);
        Assert.Equal(3, diagnosis.Gpus.Count);
        Assert.Equal(3, diagnosis.Findings.Count);
        Assert.Contains("several GPUs of one node", diagnosis.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_gpu_of_the_node_failing_within_the_window_supersedes_the_first_diagnosis()
    {
        string node = Node(12, 3);
        var first = Assert.Single(Decide(T0, OnGpu("XID-79", Gpu(node, 1), T0)));
        var then = T0.AddSeconds(8);

        var second = Assert.Single(Decide(then, OnGpu("ECC-DBE", Gpu(node, 2), then)));

        Assert.Equal(ComponentKind.Gpu, first.Suspect.Kind);
        Assert.Equal(new ComponentRef(ComponentKind.Node, node), second.Suspect);
        Assert.Equal([first.Id], second.Supersedes);
        Assert.Equal([Gpu(node, 1), Gpu(node, 2)], second.Gpus);
        Assert.Single(second.Findings);
    }

    [Fact]
    public void A_second_gpu_failing_after_the_window_is_its_own_gpu()
    {
        string node = Node(12, 3);
        Decide(T0, OnGpu("XID-79", Gpu(node, 1), T0));
        var then = T0 + Window + TimeSpan.FromSeconds(1);

        var second = Assert.Single(Decide(then, OnGpu("ECC-DBE", Gpu(node, 2), then)));

        Assert.Equal(new ComponentRef(ComponentKind.Gpu, Gpu(node, 2)), second.Suspect);
        Assert.Equal(RemedyHint.ResetGpu, second.Remedy);
    }

    [Fact]
    public void A_straggler_is_drained_not_failed()
    {
        string gpu = Gpu(Node(13, 1), 7);

        var diagnosis = Assert.Single(Decide(T0, OnGpu("STRAGGLER", gpu, T0, work: 3)));

        Assert.Equal(new ComponentRef(ComponentKind.Gpu, gpu), diagnosis.Suspect);
        Assert.Equal(RemedyHint.Drain, diagnosis.Remedy);
        Assert.False(diagnosis.Fatal);
        Assert.Equal(3, diagnosis.Work);
    }

    [Fact]
    public void A_numeric_anomaly_is_diagnosed_and_fatal_and_a_rising_sbe_rate_is_diagnosed_but_not_fatal()
    {
        var anomaly = Assert.Single(Decide(T0, OnGpu("NUMERIC-ANOMALY", Gpu(Node(14, 1), 0), T0)));
        var sbe = Assert.Single(Decide(T0, OnGpu("ECC-SBE-RATE", Gpu(Node(14, 2), 0), T0)));

        Assert.Equal((RemedyHint.Diagnose, true), (anomaly.Remedy, anomaly.Fatal));
        Assert.Equal((RemedyHint.Diagnose, false), (sbe.Remedy, sbe.Fatal));
        Assert.Equal(ComponentKind.Gpu, sbe.Suspect.Kind);
    }

    [Fact]
    public void Several_findings_on_one_gpu_decided_together_make_one_diagnosis_with_the_strongest_remedy()
    {
        string gpu = Gpu(Node(15, 4), 2);

        var diagnosis = Assert.Single(Decide(T0, OnGpu("ECC-DBE", gpu, T0), OnGpu("ROW-REMAP-FAILURE", gpu, T0)));

        Assert.Equal(RemedyHint.Replace, diagnosis.Remedy);
        Assert.Equal(2, diagnosis.Findings.Count);
    }

    [Fact]
    public void A_finding_on_a_node_the_fleet_lacks_is_refused_with_its_id_and_node()
    {
        var finding = OnGpu("XID-79", "nowhere-n01/gpu0", T0);

        var ex = Assert.Throws<ArgumentException>(() => _diagnoser.Add(finding));

        Assert.Contains(finding.Id, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'nowhere-n01'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Diagnoser(TwoLeafGroups, FaultCatalog.Default, new DiagnosisOptions { SharedCauseFraction = 1.5 }));
        Assert.Throws<ArgumentException>(() => new Diagnoser(TwoLeafGroups, FaultCatalog.Default, new DiagnosisOptions { JobWindow = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void Ids_sort_by_decision_time_and_repeat_under_the_same_seed()
    {
        var ids = new List<string>();
        var again = new List<string>();
        foreach (var (diagnoser, into) in new[] { (_diagnoser, ids), (new Diagnoser(TwoLeafGroups, FaultCatalog.Default, Options), again) })
        {
            var frame = new SignalFrame(TwoLeafGroups);
            for (int i = 0; i < 5; i++)
            {
                var at = T0.AddMinutes(i);
                into.AddRange(DecideAt(diagnoser, frame, at, OnGpu("XID-79", Gpu(Node(1 + i, 1), 0), at)).Select(d => d.Id));
            }
        }

        Assert.Equal(5, ids.Count);
        Assert.All(ids, id => Assert.StartsWith("dgn-", id, StringComparison.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids, again);
    }

    private static int GpuIndex(string gpu)
    {
        int slash = gpu.IndexOf('/', StringComparison.Ordinal);
        Assert.True(TwoLeafGroups.TryGetNodeIndex(new Kernel.Ids.NodeId(gpu[..slash]), out int node));
        return TwoLeafGroups.GpuOffsets[node] + int.Parse(gpu.AsSpan(slash + 4), System.Globalization.CultureInfo.InvariantCulture);
    }
}
