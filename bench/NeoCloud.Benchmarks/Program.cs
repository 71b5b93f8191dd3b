// `gang-latency` prints single-decision percentiles of gang placement (a Stopwatch loop, not BenchmarkDotNet); anything else goes to BenchmarkDotNet.
if (args is ["gang-latency", ..])
{
    NeoCloud.Benchmarks.Scheduling.GangLatency.Run();
}
else
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
