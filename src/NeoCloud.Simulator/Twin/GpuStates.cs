using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Simulator.Twin;

/// <summary>Every GPU's signals as struct-of-arrays indexed by dense GPU index: one tight loop updates the whole fleet.</summary>
internal sealed class GpuStates
{
    public GpuStates(FleetTopology topology)
    {
        int n = topology.GpuCount;
        Count = n;
        NodeOf = new int[n];
        SkuOf = new byte[n];
        TdpW = new float[n];
        IdleW = new float[n];
        MemoryMiB = new float[n];
        LoadClockMhz = new float[n];
        IdleClockMhz = new float[n];
        MemClockMhz = new float[n];

        Intensity = new float[n];
        FootprintMiB = new float[n];
        Flags = new GpuFlags[n];
        ThermalExtraC = new float[n];

        Util = new float[n];
        FbUsedMiB = new float[n];
        GpuTemp = new float[n];
        MemTemp = new float[n];
        PowerW = new float[n];
        SmClockMhz = new float[n];
        EnergyMj = new double[n];
        ClockEvents = new int[n];

        SbeVol = new long[n];
        DbeVol = new long[n];
        SbeAgg = new long[n];
        DbeAgg = new long[n];
        CorrectableRemapped = new int[n];
        UncorrectableRemapped = new int[n];
        RemapPending = new byte[n];
        RemapFailure = new byte[n];
        LastXid = new int[n];
        XidCount = new long[n];
        NvlCrcFlit = new long[n];
        NvlCrcData = new long[n];
        NvlReplay = new long[n];
        PcieReplay = new long[n];

        var skuIndex = new Dictionary<string, byte>(StringComparer.Ordinal);
        for (int node = 0; node < topology.Nodes.Count; node++)
        {
            var sku = SkuCatalog.Get(topology.Nodes[node].Sku);
            if (!skuIndex.TryGetValue(sku.Name, out byte s))
            {
                skuIndex[sku.Name] = s = (byte)skuIndex.Count;
            }

            for (int i = topology.GpuOffsets[node]; i < topology.GpuOffsets[node + 1]; i++)
            {
                NodeOf[i] = node;
                SkuOf[i] = s;
                TdpW[i] = sku.TdpWatts;
                IdleW[i] = sku.TdpWatts * 0.1f;
                MemoryMiB[i] = sku.MemoryGiB * 1024f;
                LoadClockMhz[i] = sku.BaseSmClockMhz;
                IdleClockMhz[i] = 345f;
                MemClockMhz[i] = sku.MemoryGiB >= 100 ? 2619f : 2619f * 0.6f;
                GpuTemp[i] = AmbientC + 4;
                MemTemp[i] = AmbientC + 6;
                PowerW[i] = IdleW[i];
                SmClockMhz[i] = IdleClockMhz[i];
                ClockEvents[i] = (int)ClockEventReasons.GpuIdle;
            }
        }
    }

    public const float AmbientC = 27f;

    public int Count { get; }

    // Static per GPU: what its SKU allows.
    public int[] NodeOf { get; }
    public byte[] SkuOf { get; }
    public float[] TdpW { get; }
    public float[] IdleW { get; }
    public float[] MemoryMiB { get; }
    public float[] LoadClockMhz { get; }
    public float[] IdleClockMhz { get; }
    public float[] MemClockMhz { get; }

    // Inputs: what runs on it and what is wrong with it.
    public float[] Intensity { get; }
    public float[] FootprintMiB { get; }
    public GpuFlags[] Flags { get; }
    public float[] ThermalExtraC { get; }

    // Signals.
    public float[] Util { get; }
    public float[] FbUsedMiB { get; }
    public float[] GpuTemp { get; }
    public float[] MemTemp { get; }
    public float[] PowerW { get; }
    public float[] SmClockMhz { get; }
    public double[] EnergyMj { get; }
    public int[] ClockEvents { get; }
    public long[] SbeVol { get; }
    public long[] DbeVol { get; }
    public long[] SbeAgg { get; }
    public long[] DbeAgg { get; }
    public int[] CorrectableRemapped { get; }
    public int[] UncorrectableRemapped { get; }
    public byte[] RemapPending { get; }
    public byte[] RemapFailure { get; }
    public int[] LastXid { get; }
    public long[] XidCount { get; }
    public long[] NvlCrcFlit { get; }
    public long[] NvlCrcData { get; }
    public long[] NvlReplay { get; }
    public long[] PcieReplay { get; }

    /// <summary>Advances GPUs [from, to) by one tick. Pure function of the arrays and the given stream: safe to run chunks in parallel.</summary>
    /// <param name="thermalAlpha">1 − e^(−tick/τ): how far temperature moves toward its target in one tick.</param>
    public void Update(int from, int to, bool[] nodeAlive, float tickSeconds, float thermalAlpha, ref Randomness.SimRandom rng)
    {
        // A local copy lets the JIT keep the generator in registers through the loop.
        var local = rng;
        for (int i = from; i < to; i++)
        {
            var flags = Flags[i];
            bool powered = nodeAlive[NodeOf[i]];
            float load = (flags & GpuFlags.Unavailable) != 0 || !powered ? 0f : Intensity[i];

            // Two 24-bit uniform noises from one 64-bit draw.
            ulong bits = local.NextULong();
            float n1 = ((bits >> 40) * (1.0f / (1U << 24))) - 0.5f;
            float n2 = (((bits >> 16) & 0xFFFFFF) * (1.0f / (1U << 24))) - 0.5f;
            float tdp = TdpW[i];
            int reasons;
            float util;
            float power;
            float clock;
            float fb;
            if (!powered)
            {
                util = 0;
                power = 0;
                clock = 0;
                fb = 0;
                reasons = 0;
            }
            else if (load > 0f)
            {
                util = Math.Clamp((load * 100f) + (n1 * 6f), 1f, 100f);
                power = IdleW[i] + ((tdp - IdleW[i]) * (0.2f + (0.8f * util / 100f))) + (n2 * 0.03f * tdp);
                clock = LoadClockMhz[i];
                reasons = 0;
                if (power >= tdp * 0.97f)
                {
                    power = tdp * 0.97f;
                    reasons |= (int)ClockEventReasons.SwPowerCap;
                    clock *= 0.95f;
                }

                fb = Math.Min(FootprintMiB[i] + (n2 * 256f), MemoryMiB[i]);
            }
            else
            {
                util = 0;
                power = IdleW[i] * (1f + (n1 * 0.1f));
                clock = IdleClockMhz[i];
                reasons = (int)ClockEventReasons.GpuIdle;
                fb = 512f;
            }

            if ((flags & GpuFlags.Straggler) != 0 && load > 0f)
            {
                clock *= 0.6f;
                util *= 0.7f;
                power *= 0.8f;
                reasons |= (int)ClockEventReasons.HwSlowdown;
            }

            float targetTemp = powered ? GpuStatesPhysics.TargetTemp(power, tdp) + ThermalExtraC[i] : AmbientC;
            float temp = GpuTemp[i] + ((targetTemp - GpuTemp[i]) * thermalAlpha) + (n1 * 0.4f);
            float memTarget = powered ? targetTemp + 4f + (6f * power / tdp) : AmbientC;
            float memTemp = MemTemp[i] + ((memTarget - MemTemp[i]) * thermalAlpha) + (n2 * 0.4f);
            if (powered)
            {
                if ((flags & GpuFlags.Thermal) != 0 && temp > 85f)
                {
                    reasons |= (int)ClockEventReasons.HwThermalSlowdown;
                    clock *= 0.5f;
                    util *= 0.6f;
                }

                if (temp > 87f)
                {
                    reasons |= (int)ClockEventReasons.SwThermalSlowdown;
                }
            }

            Util[i] = util;
            PowerW[i] = power;
            SmClockMhz[i] = clock;
            FbUsedMiB[i] = fb;
            GpuTemp[i] = temp;
            MemTemp[i] = memTemp;
            ClockEvents[i] = reasons;
            EnergyMj[i] += power * tickSeconds * 1000.0;
        }

        rng = local;
    }

    /// <summary>Clears the volatile counters, as a driver reload (GPU reset or reboot) does.</summary>
    public void ClearVolatile(int i)
    {
        SbeVol[i] = 0;
        DbeVol[i] = 0;
        LastXid[i] = 0;
    }

    /// <summary>A new GPU in the slot: every counter starts from zero.</summary>
    public void ResetAsNew(int i)
    {
        ClearVolatile(i);
        SbeAgg[i] = 0;
        DbeAgg[i] = 0;
        CorrectableRemapped[i] = 0;
        UncorrectableRemapped[i] = 0;
        RemapPending[i] = 0;
        RemapFailure[i] = 0;
        XidCount[i] = 0;
        NvlCrcFlit[i] = 0;
        NvlCrcData[i] = 0;
        NvlReplay[i] = 0;
        PcieReplay[i] = 0;
        EnergyMj[i] = 0;
    }
}
