using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.Export;

/// <summary>Builds YAML as YamlDotNet nodes (so quoting is YamlDotNet's, never ours) and writes it in the order built.</summary>
internal static class YamlText
{
    public static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(new YamlScalarNode(key), value);
            }
        }

        return map;
    }

    public static YamlMappingNode Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in labels)
        {
            map.Add(new YamlScalarNode(key), Text(value));
        }

        return map;
    }

    public static YamlSequenceNode List(IEnumerable<YamlNode> items) => new(items);

    /// <summary>A string scalar; quoted when YAML would otherwise read it as a number, boolean or null.</summary>
    public static YamlScalarNode Text(string value)
    {
        bool ambiguous = value.Length == 0 || double.TryParse(value, out _) || value is "true" or "false" or "null" or "~" or "yes" or "no";
        return new YamlScalarNode(value) { Style = ambiguous ? ScalarStyle.SingleQuoted : ScalarStyle.Any };
    }

    /// <summary>A number or duration scalar that YAML may read as it likes.</summary>
    public static YamlScalarNode Plain(string value) => new(value);

    public static string Write(YamlNode root, string? header = null)
    {
        using var writer = new StringWriter();
        writer.NewLine = "\n";
        if (header is not null)
        {
            foreach (string line in header.Split('\n'))
            {
                writer.WriteLine("# " + line);
            }
        }

        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        string text = writer.ToString();

        // YamlStream.Save ends the document with "...": legal YAML, but noise in a rules file.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
