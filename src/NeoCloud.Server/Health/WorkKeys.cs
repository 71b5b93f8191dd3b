using NeoCloud.Kernel.Ids;

namespace NeoCloud.Server.Health;

/// <summary>
/// The signal frame's work key of a job: a stable, non-zero 64-bit hash of its id (FNV-1a), the same in every round and
/// after a restart, so detectors and diagnosis can compare gang peers without holding strings.
/// </summary>
public static class WorkKeys
{
    public static long Of(JobId job)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in job.Value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // 0 means "idle" in the frame; keep keys positive so they print plainly.
        long key = (long)(hash & long.MaxValue);
        return key == 0 ? 1 : key;
    }
}
