using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Alerting;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// Reads a <c>kind: Runbook</c> manifest; a bad file is rejected whole, every error with its line, column and field path:
/// unknown fields, unknown actions, missing or unknown action arguments, and template variables that name no declared
/// parameter (or alert labels in a runbook no alert triggers).
/// </summary>
public static partial class RunbookManifestReader
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static Runbook Parse(string yaml)
    {
        var errors = new List<SpecError>();
        return TryParse(yaml, errors) ?? throw new RunbookSpecException(errors);
    }

    public static Runbook ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the manifest; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static Runbook? TryParse(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        if (ManifestDocument.Load(yaml, Runbook.Kind, errors) is not { } document)
        {
            return null;
        }

        document.Metadata?.RejectUnknown();
        if (!NamePattern().IsMatch(document.Name))
        {
            document.Metadata?.Error(document.Metadata.Get("name"), "name", $"'{document.Name}' must be lower-case letters, digits and '-' (at most 63)");
        }

        var spec = document.Spec;
        string description = spec.String("description", required: false) ?? "";
        var parameters = ReadParameters(spec, errors);
        var declared = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var triggers = ReadTriggers(spec, declared, errors);
        bool triggered = spec.Get("triggers") is YamlSequenceNode { Children.Count: > 0 };
        var steps = ReadSteps(spec, declared, triggered, errors);
        spec.RejectUnknown();
        if (errors.Count > before)
        {
            return null;
        }

        return new Runbook(document.Name, description, parameters, triggers, steps, HashOf(yaml));
    }

    /// <summary>The SHA-256 of the manifest text, lower-case hex: a run records which version of its runbook it followed.</summary>
    public static string HashOf(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));

    private static List<RunbookParameter> ReadParameters(SpecMapping spec, List<SpecError> errors)
    {
        var parameters = new List<RunbookParameter>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var nodes = spec.Sequence("parameters", required: false);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("parameters")}[{i}]", errors) is not { } p)
            {
                continue;
            }

            string? name = p.String("name", required: true);
            if (name is not null && !RunbookTemplate.IsName(name))
            {
                p.Error(p.Get("name"), "name", $"'{name}' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
                name = null;
            }
            else if (name is not null && !names.Add(name))
            {
                p.Error(p.Get("name"), "name", $"parameter '{name}' is declared twice");
                name = null;
            }

            bool required = Bool(p, "required", fallback: false);
            string? fallback = Scalar(p, "default");
            if (required && fallback is not null)
            {
                p.Error(p.Get("default"), "default", "a required parameter has no default: drop 'required' or the default");
            }

            string paramDescription = p.String("description", required: false) ?? "";
            p.RejectUnknown();
            if (name is not null)
            {
                parameters.Add(new RunbookParameter(name, required, fallback, paramDescription));
            }
        }

        return parameters;
    }

    private static List<AlertTrigger> ReadTriggers(SpecMapping spec, HashSet<string> declared, List<SpecError> errors)
    {
        var triggers = new List<AlertTrigger>();
        var nodes = spec.Sequence("triggers", required: false);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("triggers")}[{i}]", errors) is not { } t)
            {
                continue;
            }

            var matchers = new List<Matcher>();
            foreach (var node in t.Sequence("matchers", required: true))
            {
                string? text = (node as YamlScalarNode)?.Value;
                try
                {
                    matchers.Add(Matcher.Parse(text ?? throw new FormatException("a matcher must be a text value such as 'alertname=\"node-down\"'")));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    errors.Add(new SpecError(SpecMapping.Line(node), SpecMapping.Column(node), t.Join("matchers"), ex.Message));
                }
            }

            var bindings = new Dictionary<string, string>(StringComparer.Ordinal);
            if (t.Get("parameters") is { } bound)
            {
                foreach (var (key, value, keyNode, valueNode) in Pairs(bound, t.Join("parameters"), errors))
                {
                    string path = $"{t.Join("parameters")}.{key}";
                    if (!declared.Contains(key))
                    {
                        errors.Add(new SpecError(SpecMapping.Line(keyNode), SpecMapping.Column(keyNode), path,
                            $"'{key}' is not a declared parameter (declared: {Known(declared)})"));
                        continue;
                    }

                    CheckTemplate(value, valueNode, path, declared, allowParams: false, allowLabels: true, errors);
                    bindings[key] = value;
                }
            }

            t.RejectUnknown();
            triggers.Add(new AlertTrigger(matchers, bindings));
        }

        return triggers;
    }

    private static List<RunbookStep> ReadSteps(SpecMapping spec, HashSet<string> declared, bool triggered, List<SpecError> errors)
    {
        var steps = new List<RunbookStep>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var nodes = spec.Sequence("steps", required: true);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("steps")}[{i}]", errors) is not { } s)
            {
                continue;
            }

            string? name = s.String("name", required: true);
            if (name is not null && !names.Add(name))
            {
                s.Error(s.Get("name"), "name", $"step '{name}' is defined twice");
            }

            RunbookAction? action = null;
            if (s.String("action", required: true) is { } actionText)
            {
                if (RunbookActions.TryParse(actionText, out var parsed))
                {
                    action = parsed;
                }
                else
                {
                    s.Error(s.Get("action"), "action", $"'{actionText}' is not an action (known: {string.Join(", ", RunbookActions.All)})");
                }
            }

            var with = new Dictionary<string, string>(StringComparer.Ordinal);
            var withNode = s.Get("with");
            if (withNode is not null)
            {
                foreach (var (key, value, keyNode, valueNode) in Pairs(withNode, s.Join("with"), errors))
                {
                    string path = $"{s.Join("with")}.{key}";
                    if (action is { } a && !RunbookActionArguments.For(a).Accepts(key))
                    {
                        errors.Add(new SpecError(SpecMapping.Line(keyNode), SpecMapping.Column(keyNode), path,
                            $"'{key}' is not an argument of {RunbookActions.NameOf(a)} (it takes: {string.Join(", ", RunbookActionArguments.For(a).All)})"));
                        continue;
                    }

                    CheckTemplate(value, valueNode, path, declared, allowParams: true, allowLabels: triggered, errors);
                    with[key] = value;
                }
            }

            if (action is { } act)
            {
                CheckArguments(s, act, with, withNode);
            }

            var approval = ReadApproval(s, action);
            var onFailure = s.String("onFailure", required: false) switch
            {
                null or "stop" => FailurePolicy.Stop,
                "continue" => FailurePolicy.Continue,
                var other => Invalid(s, "onFailure", $"'{other}' must be stop or continue", FailurePolicy.Stop),
            };
            var timeout = s.Duration("timeout", required: false, positive: true);
            s.RejectUnknown();
            if (name is not null && action is not null)
            {
                steps.Add(new RunbookStep(name, action.Value, with, approval, onFailure, timeout));
            }
        }

        return steps;
    }

    private static ApprovalPolicy ReadApproval(SpecMapping s, RunbookAction? action)
    {
        var fallback = action is { } a && RunbookActions.IsDestructive(a) ? ApprovalPolicy.Required : ApprovalPolicy.None;
        return s.String("approval", required: false) switch
        {
            null => fallback,
            "required" => ApprovalPolicy.Required,
            "none" => ApprovalPolicy.None,
            var other => Invalid(s, "approval", $"'{other}' must be required or none", fallback),
        };
    }

    private static void CheckArguments(SpecMapping s, RunbookAction action, Dictionary<string, string> with, YamlNode? withNode)
    {
        var arguments = RunbookActionArguments.For(action);
        string verb = RunbookActions.NameOf(action);
        foreach (string required in arguments.Required.Where(r => !with.ContainsKey(r)))
        {
            s.Error(withNode, "with", $"{verb} needs the argument '{required}'");
        }

        if (arguments.OneOf.Count > 0 && arguments.OneOf.Count(with.ContainsKey) != 1)
        {
            s.Error(withNode, "with", $"{verb} needs exactly one of: {string.Join(", ", arguments.OneOf)}");
        }

        // Literal values are checked now; templated ones when the run starts.
        if (action == RunbookAction.Wait && with.TryGetValue("for", out string? wait) && !wait.Contains("{{", StringComparison.Ordinal)
            && !(SpecMapping.TryParseDuration(wait, out var span) && span > TimeSpan.Zero))
        {
            s.Error(withNode, "with.for", $"'{wait}' is not a positive duration such as 90s, 10m or 1h30m");
        }

        if (action == RunbookAction.RunDiagnostics && with.TryGetValue("level", out string? level) && !level.Contains("{{", StringComparison.Ordinal)
            && !IsDiagnosticLevel(level))
        {
            s.Error(withNode, "with.level", $"'{level}' is not a DCGM diagnostic level: r1, r2, r3 or r4");
        }
    }

    /// <summary>DCGM levels r1..r4 (or 1..4), as the host's actuator takes them.</summary>
    public static bool IsDiagnosticLevel(string text) =>
        text.TrimStart('r', 'R') is { Length: 1 } digit && int.TryParse(digit, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 4;

    private static void CheckTemplate(string value, YamlNode at, string path, HashSet<string> declared, bool allowParams, bool allowLabels, List<SpecError> errors)
    {
        if (RunbookTemplate.Variables(value, out string? error) is not { } variables)
        {
            errors.Add(new SpecError(SpecMapping.Line(at), SpecMapping.Column(at), path, error!));
            return;
        }

        foreach (var variable in variables)
        {
            string? problem = variable.Scope switch
            {
                RunbookTemplate.ParamsScope when !allowParams => $"{variable}: an alert binds parameters from its labels only ({{{{ .labels.NAME }}}})",
                RunbookTemplate.ParamsScope when !declared.Contains(variable.Name) => $"{variable} is an unknown variable: '{variable.Name}' is not a declared parameter (declared: {Known(declared)})",
                RunbookTemplate.LabelsScope when !allowLabels => $"{variable} is an unknown variable: no trigger starts this runbook from an alert, so there are no alert labels",
                _ => null,
            };
            if (problem is not null)
            {
                errors.Add(new SpecError(SpecMapping.Line(at), SpecMapping.Column(at), path, problem));
            }
        }
    }

    private static IEnumerable<(string Key, string Value, YamlNode KeyNode, YamlNode ValueNode)> Pairs(YamlNode node, string path, List<SpecError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(new SpecError(SpecMapping.Line(node), SpecMapping.Column(node), path, "must be a mapping of names to text values"));
            yield break;
        }

        foreach (var (k, v) in map.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            if (v is not YamlScalarNode { Value: { } value })
            {
                errors.Add(new SpecError(SpecMapping.Line(v), SpecMapping.Column(v), $"{path}.{key}", "must be a text value"));
                continue;
            }

            yield return (key, value, k, v);
        }
    }

    private static bool Bool(SpecMapping m, string field, bool fallback)
    {
        var node = m.Get(field);
        if (node is null)
        {
            return fallback;
        }

        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out bool value))
        {
            return value;
        }

        m.Error(node, field, $"'{(node as YamlScalarNode)?.Value}' must be true or false");
        return fallback;
    }

    // A scalar that may be empty (a default of "" is a real default), unlike SpecMapping.String.
    private static string? Scalar(SpecMapping m, string field)
    {
        var node = m.Get(field);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        m.Error(node, field, "must be a text value");
        return null;
    }

    private static T Invalid<T>(SpecMapping m, string field, string message, T fallback)
    {
        m.Error(m.Get(field), field, message);
        return fallback;
    }

    private static string Known(HashSet<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal));
}
