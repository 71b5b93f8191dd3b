using NeoCloud.Reliability.Evaluation;

namespace NeoCloud.Simulator.Reliability;

/// <summary>One tick's bad and total events of each twin indicator, in the order of <see cref="TwinIndicators.Names"/>.</summary>
internal readonly record struct TickCounts(WindowCounts GpuAvailability, WindowCounts JobSuccess, WindowCounts TrainingGoodput)
{
    public WindowCounts this[int indicator] => indicator switch
    {
        0 => GpuAvailability,
        1 => JobSuccess,
        2 => TrainingGoodput,
        _ => throw new ArgumentOutOfRangeException(nameof(indicator), indicator, "The twin measures three indicators."),
    };
}
