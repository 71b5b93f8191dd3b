using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>The work a node-level finding is linked to: any work on the node's GPUs (a node carries at most a few jobs).</summary>
internal static class NodeWork
{
    public static long Of(SignalFrame frame, int node)
    {
        var offsets = frame.Topology.GpuOffsets;
        for (int g = offsets[node]; g < offsets[node + 1]; g++)
        {
            if (frame.WorkOfGpu[g] != 0)
            {
                return frame.WorkOfGpu[g];
            }
        }

        return 0;
    }
}
