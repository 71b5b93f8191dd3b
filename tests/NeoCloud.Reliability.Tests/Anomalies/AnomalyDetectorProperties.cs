using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Anomalies;

namespace NeoCloud.Reliability.Tests.Anomalies;

public sealed class AnomalyDetectorProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    // A short season (an hour of 10-minute slots, two seasons of history) so that each run covers warm-up and several
    // seasons of scoring in a few hundred samples.
    private const int Length = 300;

    /// <summary>
    /// Small noise with one level change of random size, place and length, so that a fair share of runs raise something
    /// and the scaling property is not only checked on silence.
    /// </summary>
    private static Arbitrary<double[]> Series =>
        (from noise in Gen.Choose(0, 20).ArrayOf(Length)
         from shiftStart in Gen.Choose(0, Length - 1)
         from shiftLength in Gen.Choose(1, 40)
         from shift in Gen.Choose(-500, 500)
         select noise.Select((n, i) => 100.0 + n + (i >= shiftStart && i < shiftStart + shiftLength ? shift : 0)).ToArray())
        .ToArbitrary();

    [Property(MaxTest = 200)]
    public Property A_constant_series_never_raises() =>
        Prop.ForAll(Gen.Choose(-1_000_000, 1_000_000).Select(n => n / 8.0).ToArbitrary(), value =>
            Run(Enumerable.Repeat(value, Length).ToArray()).Count == 0);

    [Property(MaxTest = 200)]
    public Property Scaling_a_series_by_a_positive_constant_does_not_change_which_samples_are_anomalous() =>
        Prop.ForAll(Series, Gen.Choose(-20, 20).ToArbitrary(), (series, exponent) =>
        {
            // Powers of two scale a double exactly, so the property tests the detector rather than rounding.
            double factor = Math.ScaleB(1.0, exponent);
            var original = Run(series);
            var scaled = Run(series.Select(x => x * factor).ToArray());
            return original.SequenceEqual(scaled);
        });

    private static List<(DateTimeOffset At, AnomalyDirection Direction)> Run(double[] series)
    {
        var detector = new AnomalyDetector(
            "metric",
            new SeasonalBaseline(Step, TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), seasons: 2));
        var raised = new List<(DateTimeOffset, AnomalyDirection)>();
        for (int i = 0; i < series.Length; i++)
        {
            var at = Start + (Step * i);
            if (detector.Observe(at, series[i]) is { } anomaly)
            {
                raised.Add((anomaly.At, anomaly.Direction));
            }
        }

        return raised;
    }
}
