using System.Text;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Gangs;

/// <summary>Everything a snapshot holds, as one string, so two moments can be compared exactly.</summary>
internal static class SnapshotImage
{
    public static string Of(ClusterSnapshot snapshot)
    {
        var text = new StringBuilder();
        for (int n = 0; n < snapshot.NodeCount; n++)
        {
            text.Append(snapshot.CpuFree(n)).Append('/').Append(snapshot.MemoryFree(n)).Append(':');
            foreach (int free in snapshot.GpuFree(n))
            {
                text.Append(free).Append(',');
            }

            text.Append(snapshot.GpuFreeTotal(n)).Append(';');
        }

        return text.Append(snapshot.GpuAllocatedMilli).ToString();
    }
}
