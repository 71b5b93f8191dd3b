namespace NeoCloud.Reliability.Tests.Anomalies;

/// <summary>A metric with a daily cycle, 100 ± 20, plus Gaussian noise from a fixed seed, sampled every 5 minutes.</summary>
internal sealed class DailyTraffic(int seed, double noise = 2.0)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    public static readonly int StepsPerDay = (int)(TimeSpan.FromDays(1) / Step);

    private readonly Random _random = new(seed);

    public static DateTimeOffset At(int step) => Start + (Step * step);

    public double Value(int step)
    {
        double phase = 2 * Math.PI * step / StepsPerDay;
        return 100 + (20 * Math.Sin(phase)) + (noise * Gaussian());
    }

    private double Gaussian()
    {
        // Box–Muller; 1 − NextDouble() keeps the logarithm's argument away from zero.
        double u = 1 - _random.NextDouble();
        double v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
