using System.Text.RegularExpressions;
using NeoCloud.Kernel.Manifests;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Plugins.Manifest;

/// <summary>Reads and validates a plugin manifest; every problem is reported with its line and field.</summary>
public static partial class PluginManifestReader
{
    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex("^[a-z-]+:[a-z-]+$")]
    private static partial Regex PermissionPattern();

    public static PluginManifest Parse(string yaml)
    {
        var errors = new List<SpecError>();
        var manifest = TryParse(yaml, errors);
        return errors.Count == 0 && manifest is not null ? manifest : throw new SpecException("plugin manifest", errors);
    }

    public static PluginManifest? TryParse(string yaml, List<SpecError> errors)
    {
        var document = ManifestDocument.Load(yaml, "Plugin", errors, "version", "owner");
        if (document is null)
        {
            return null;
        }

        var meta = document.Metadata;
        string name = document.Name;
        if (!NamePattern().IsMatch(name))
        {
            meta?.Error(meta.Get("name"), "name", $"'{name}' must be lower-case letters, digits and dashes");
        }

        string version = meta?.String("version", required: true) ?? "0.0.0";
        if (!SemVer().IsMatch(version))
        {
            meta?.Error(meta.Get("version"), "version", $"'{version}' must be a semantic version such as 1.2.0");
        }

        string owner = meta?.String("owner", required: false, "unowned") ?? "unowned";
        meta?.RejectUnknown();

        var spec = document.Spec;
        string? kindText = spec.String("pluginKind", required: true);
        PluginKind kind = default;
        if (kindText is not null && !TryParseKebab(kindText, out kind))
        {
            spec.Error(spec.Get("pluginKind"), "pluginKind", $"unknown kind '{kindText}'; known: {string.Join(", ", Enum.GetValues<PluginKind>().Select(ToKebab))}");
        }

        var tiers = new HashSet<PluginTier>();
        foreach (var node in spec.Sequence("tiers", required: true))
        {
            string text = (node as YamlScalarNode)?.Value ?? "";
            if (TryParseKebab(text, out PluginTier tier))
            {
                tiers.Add(tier);
            }
            else
            {
                spec.Error(node, "tiers", $"unknown tier '{text}'; known: edge, region, hub");
            }
        }

        PluginEntry entry = new(null, null, null);
        var entryMap = SpecMapping.From(spec.Get("entry"), "spec.entry", errors);
        if (entryMap is null)
        {
            spec.Error(null, "entry", "is required: { assembly: Name } or { command: [program, args...] }");
        }
        else
        {
            string? assembly = entryMap.String("assembly", required: false);
            string? type = entryMap.String("type", required: false);
            var command = entryMap.Sequence("command", required: false).Select(n => (n as YamlScalarNode)?.Value ?? "").ToList();
            if ((assembly is null) == (command.Count == 0))
            {
                entryMap.Error(null, "assembly", "give exactly one of 'assembly' (in process) or 'command' (out of process)");
            }

            entryMap.RejectUnknown();
            entry = new PluginEntry(assembly, type, command.Count == 0 ? null : command);
        }

        var permissions = new List<string>();
        foreach (var node in spec.Sequence("permissions", required: false))
        {
            string text = (node as YamlScalarNode)?.Value ?? "";
            if (!PermissionPattern().IsMatch(text))
            {
                spec.Error(node, "permissions", $"'{text}' must be 'resource:verb', e.g. nodes:drain");
            }

            permissions.Add(text);
        }

        var config = Flatten(spec.Get("config"), "spec.config", errors);
        var domain = Flatten(spec.Get("domain"), "spec.domain", errors);
        spec.RejectUnknown();
        return errors.Count == 0
            ? new PluginManifest(name, version, owner, kind, tiers, entry, permissions, config, domain)
            : null;
    }

    /// <summary>An enum value as manifests and the API spell it: <c>TelemetrySource</c> → <c>telemetry-source</c>.</summary>
    public static string ToKebab<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static bool TryParseKebab<T>(string text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out value) && Enum.IsDefined(value);

    /// <summary>Config and domain parts as flat dotted keys (<c>scrape.interval</c>): each kind's schema validates them.</summary>
    private static Dictionary<string, string> Flatten(YamlNode? node, string path, List<SpecError> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode)
        {
            errors.Add(new SpecError(SpecMapping.Line(node), SpecMapping.Column(node), path, "must be a mapping"));
            return result;
        }

        void Walk(YamlNode n, string prefix)
        {
            switch (n)
            {
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children)
                    {
                        Walk(v, prefix.Length == 0 ? ((YamlScalarNode)k).Value! : $"{prefix}.{((YamlScalarNode)k).Value}");
                    }

                    break;
                case YamlSequenceNode seq:
                    result[prefix] = string.Join(",", seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? ""));
                    break;
                case YamlScalarNode scalar:
                    result[prefix] = scalar.Value ?? "";
                    break;
            }
        }

        Walk(node, "");
        return result;
    }
}
