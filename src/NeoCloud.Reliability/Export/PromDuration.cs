using System.Globalization;

namespace NeoCloud.Reliability.Export;

/// <summary>Prometheus durations in their shortest whole unit (<c>5m</c>, <c>1h</c>, <c>3d</c>), also used in rule names.</summary>
public static class PromDuration
{
    public static string Format(TimeSpan value)
    {
        long seconds = (long)value.TotalSeconds;
        return seconds switch
        {
            _ when seconds > 0 && seconds % 86400 == 0 => (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d",
            _ when seconds > 0 && seconds % 3600 == 0 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h",
            _ when seconds > 0 && seconds % 60 == 0 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m",
            _ => Math.Max(seconds, 1).ToString(CultureInfo.InvariantCulture) + "s",
        };
    }
}
