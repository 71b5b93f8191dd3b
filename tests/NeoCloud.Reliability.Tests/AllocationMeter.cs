namespace NeoCloud.Reliability.Tests;

/// <summary>
/// Bytes a piece of code allocates on this thread, at the least of a few runs: the first runs let the JIT settle
/// (tiering and on-stack replacement of a hot loop can allocate a few bytes on the thread, which is the runtime's cost,
/// not the code's). Code that allocates on every run still shows it on every run.
/// </summary>
internal static class AllocationMeter
{
    public static long Least(Action run, int tries = 4)
    {
        long least = long.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
