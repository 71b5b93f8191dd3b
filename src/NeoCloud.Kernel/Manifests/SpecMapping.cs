using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Kernel.Manifests;

/// <summary>
/// Reads one YAML mapping of a spec with its path, collecting every error with its line instead of stopping at the first,
/// and rejecting fields it does not know (a typo must not silently fall back to a default).
/// </summary>
public sealed class SpecMapping
{
    private readonly YamlMappingNode _node;
    private readonly List<SpecError> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public SpecMapping(YamlMappingNode node, string path, List<SpecError> errors)
    {
        _node = node;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public static SpecMapping? From(YamlNode? node, string path, List<SpecError> errors)
    {
        if (node is YamlMappingNode map)
        {
            return new SpecMapping(map, path, errors);
        }

        if (node is not null)
        {
            errors.Add(new SpecError(Line(node), Column(node), path, "must be a mapping of fields"));
        }

        return null;
    }

    public void Error(YamlNode? at, string field, string message) =>
        _errors.Add(new SpecError(at is null ? Line(_node) : Line(at), at is null ? Column(_node) : Column(at), Join(field), message));

    public string Join(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    public YamlNode? Get(string key)
    {
        _read.Add(key);
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public string? String(string key, bool required, string? fallback = null)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                Error(null, key, "is required");
            }

            return fallback;
        }

        if (value is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
        {
            Error(value, key, "must be a non-empty text value");
            return fallback;
        }

        return scalar.Value;
    }

    public int Int(string key, int min, int max, int? fallback)
    {
        var value = Get(key);
        if (value is null)
        {
            if (fallback is null)
            {
                Error(null, key, "is required");
                return min;
            }

            return fallback.Value;
        }

        if (value is not YamlScalarNode scalar || !int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
        {
            Error(value, key, $"must be a whole number, got '{(value as YamlScalarNode)?.Value ?? value.NodeType.ToString()}'");
            return fallback ?? min;
        }

        if (n < min || n > max)
        {
            Error(value, key, $"must be between {min} and {max}, got {n}");
            return Math.Clamp(n, min, max);
        }

        return n;
    }

    /// <summary>Reads a duration such as <c>90s</c>, <c>10m</c>, <c>1h30m</c> or <c>2d</c>; null when absent or invalid (an error says which).</summary>
    /// <param name="positive">Whether zero is refused (a length of time rather than an offset).</param>
    public TimeSpan? Duration(string key, bool required, bool positive = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                Error(null, key, "is required");
            }

            return null;
        }

        string? text = (value as YamlScalarNode)?.Value;
        if (!TryParseDuration(text, out var duration) || (positive && duration <= TimeSpan.Zero))
        {
            Error(value, key, $"'{text ?? value.NodeType.ToString()}' is not a {(positive ? "positive " : "")}duration such as 90s, 10m, 1h30m or 2d");
            return null;
        }

        return duration;
    }

    /// <summary>Parses Go-style durations such as <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c> (and <c>0</c>).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        if (s.SequenceEqual("0"))
        {
            return true;
        }

        double seconds = 0;
        while (s.Length > 0)
        {
            int digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || digits == s.Length || !double.TryParse(s[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            int unitLength = s[digits..].StartsWith("ms") ? 2 : 1;
            double scale = s.Slice(digits, unitLength) switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => double.NaN,
            };
            if (double.IsNaN(scale))
            {
                return false;
            }

            seconds += number * scale;
            s = s[(digits + unitLength)..];
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public IReadOnlyList<YamlNode> Sequence(string key, bool required)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                Error(null, key, "is required and must list at least one entry");
            }

            return [];
        }

        if (value is not YamlSequenceNode seq)
        {
            Error(value, key, "must be a list");
            return [];
        }

        if (required && seq.Children.Count == 0)
        {
            Error(value, key, "must list at least one entry");
        }

        return [.. seq.Children];
    }

    /// <summary>Reports every field of this mapping that was never asked for: unknown fields are errors, not ignored.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in _node.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_read.Contains(name))
            {
                string? near = _read.FirstOrDefault(r => Distance(r, name) <= 2);
                Error(k, name, near is null
                    ? $"is not a known field (known here: {string.Join(", ", _read.Order(StringComparer.Ordinal))})"
                    : $"is not a known field; did you mean '{near}'?");
            }
        }
    }

    public static int Line(YamlNode node) => (int)node.Start.Line;

    public static int Column(YamlNode node) => (int)node.Start.Column;

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
