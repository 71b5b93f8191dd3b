using System.Globalization;

namespace NeoCloud.Plugins.Hosting;

/// <summary>Durations as written in manifests: <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>.</summary>
public static class ConfigDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        (string unit, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => ("ms", 0.001),
            _ when text.EndsWith('s') => ("s", 1),
            _ when text.EndsWith('m') => ("m", 60),
            _ when text.EndsWith('h') => ("h", 3600),
            _ when text.EndsWith('d') => ("d", 86400),
            _ => ("", 0),
        };
        if (scale == 0 || !double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || n < 0)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * scale);
        return true;
    }
}
