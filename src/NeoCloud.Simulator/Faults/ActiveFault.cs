using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Faults;

/// <summary>A fault that is in effect now, with the dense indexes it touches and the per-tick effects it keeps having.</summary>
internal sealed class ActiveFault(InjectedFault record, int[] gpus, int[] nodes, int[] ports)
{
    public InjectedFault Record { get; set; } = record;
    public int[] Gpus { get; } = gpus;
    public int[] Nodes { get; } = nodes;
    public int[] Ports { get; } = ports;
    public GpuFlags GpuFlags { get; init; }
    public float ThermalExtraC { get; init; }
    public bool NodeDown { get; init; }
    public bool PortDown { get; init; }
    public Remedy Remedy { get; init; }

    /// <summary>Ticks of continuing ECC errors after a DBE storm's onset.</summary>
    public int StormTicksLeft { get; set; }

    /// <summary>The synthetic job that already reported this silent data corruption (-1: none yet).</summary>
    public int AnomalyReportedForJob { get; set; } = -1;

    /// <summary>Port errors keep accumulating each tick while the fault lasts.</summary>
    public bool PortErrorsEachTick { get; init; }
}
