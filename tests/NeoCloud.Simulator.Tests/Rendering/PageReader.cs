using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests;

/// <summary>A small, strict reader of Prometheus text for the tests, independent of the code under test.</summary>
internal static partial class PageReader
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf)$""")]
    public static partial Regex SampleLine();

    [GeneratedRegex("""\G(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\\n]|\\[\\"n])*)"(,|$)""")]
    public static partial Regex LabelPair();

    [GeneratedRegex("""^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.+)$""")]
    public static partial Regex CommentLine();

    public static string Render(FleetTwin twin, NodeId node, bool infiniband = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        bool answered = infiniband ? twin.RenderIbPortCounters(node, buffer) : twin.RenderDcgmExporter(node, buffer);
        Assert.True(answered, $"{node} did not answer");
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<Sample> Samples(string page, string name) =>
        [.. page.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Select(Parse)];

    public static Sample Parse(string line)
    {
        var m = SampleLine().Match(line);
        Assert.True(m.Success, $"not a sample line: {line}");
        return new Sample(m.Groups["name"].Value, ParseLabels(m.Groups["labels"].Value, line),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    public static Dictionary<string, string> ParseLabels(string text, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int at = 0;
        while (at < text.Length)
        {
            var m = LabelPair().Match(text, at);
            Assert.True(m.Success && m.Index == at, $"bad label syntax at {at} in: {line}");
            Assert.True(labels.TryAdd(m.Groups["key"].Value, m.Groups["value"].Value.Replace("\\\"", "\"").Replace("\\n", "\n").Replace("\\\\", "\\")),
                $"label {m.Groups["key"].Value} repeated in: {line}");
            at = m.Index + m.Length;
        }

        return labels;
    }

    /// <summary>Checks the exposition rules: every family opens with HELP then TYPE, samples follow their own family, no family twice.</summary>
    public static void AssertWellFormed(string page)
    {
        Assert.EndsWith("\n", page);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? family = null;
        string? pendingHelp = null;
        foreach (var line in page[..^1].Split('\n'))
        {
            var comment = CommentLine().Match(line);
            if (comment.Success)
            {
                string name = comment.Groups["name"].Value;
                if (comment.Groups["kind"].Value == "HELP")
                {
                    Assert.True(seen.Add(name), $"family {name} appears twice");
                    pendingHelp = name;
                }
                else
                {
                    Assert.Equal(pendingHelp, name);
                    Assert.Contains(comment.Groups["rest"].Value, new[] { "gauge", "counter" });
                    family = name;
                    pendingHelp = null;
                }

                continue;
            }

            Assert.Null(pendingHelp);
            var sample = Parse(line);
            Assert.Equal(family, sample.Name);
        }
    }
}
