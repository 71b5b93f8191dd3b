using System.Buffers;
using BenchmarkDotNet.Attributes;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Benchmarks.Simulator;

/// <summary>The twin on the default 936-node fleet: one virtual hour of the whole fleet, and one node's dcgm-exporter page.</summary>
[MemoryDiagnoser]
public class TwinBenchmarks
{
    private FleetTopology _topology = null!;
    private FleetTwin _warm = null!;
    private NodeId _node;
    private readonly ArrayBufferWriter<byte> _page = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _topology = FleetGenerator.Generate(DefaultFleet.Spec);
        _warm = new FleetTwin(_topology, 42);
        _warm.Step(TimeSpan.FromHours(1));
        _node = _topology.Nodes[0].Id;
    }

    /// <summary>A fresh twin (synthetic load and random faults on) run for one virtual hour: 120 ticks of 30 s.</summary>
    [Benchmark]
    public long OneVirtualHourOfTheDefaultFleet()
    {
        var twin = new FleetTwin(_topology, 42);
        twin.Step(TimeSpan.FromHours(1));
        return twin.Ticks;
    }

    /// <summary>One tick of a warm twin.</summary>
    [Benchmark]
    public long OneTick()
    {
        _warm.Tick();
        return _warm.Ticks;
    }

    /// <summary>One node's dcgm-exporter page (8 GPUs × 23 families), as an edge agent scrapes it.</summary>
    [Benchmark]
    public int RenderOneDcgmPage()
    {
        _page.ResetWrittenCount();
        _warm.RenderDcgmExporter(_node, _page);
        return _page.WrittenCount;
    }
}
