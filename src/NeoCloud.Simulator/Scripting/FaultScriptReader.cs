using System.Globalization;
using NeoCloud.Simulator.Faults;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Simulator.Scripting;

/// <summary>Reads and validates a <c>kind: FaultScript</c> file; a bad file is rejected whole, every error with its line.</summary>
/// <remarks>Targets are checked for shape here; whether they exist is checked against a fleet when the twin schedules the script.</remarks>
public static class FaultScriptReader
{
    public const string ApiVersion = "neocloud.dev/v1";

    private static readonly Dictionary<string, FaultKind> Kinds = new(StringComparer.Ordinal)
    {
        ["xid"] = FaultKind.Xid,
        ["ecc-dbe-storm"] = FaultKind.EccDbeStorm,
        ["switch-down"] = FaultKind.SwitchDown,
        ["link-down"] = FaultKind.LinkDown,
        ["port-errors"] = FaultKind.PortErrors,
        ["pdu-down"] = FaultKind.PduDown,
        ["heartbeat-loss"] = FaultKind.HeartbeatLoss,
        ["thermal"] = FaultKind.Thermal,
        ["straggler"] = FaultKind.Straggler,
        ["sdc"] = FaultKind.SilentDataCorruption,
        ["nccl-timeout"] = FaultKind.NcclTimeout,
    };

    private static readonly HashSet<string> FaultFields = ["at", "target", "fault", "xid", "duration", "cause"];

    public static FaultScript Parse(string yaml)
    {
        var errors = new List<FaultScriptError>();
        var script = TryParse(yaml, errors);
        if (errors.Count > 0 || script is null)
        {
            throw new FaultScriptException(errors);
        }

        return script;
    }

    public static FaultScript ReadFile(string path) => Parse(File.ReadAllText(path));

    public static FaultScript? TryParse(string yaml, List<FaultScriptError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            errors.Add(new FaultScriptError((int)ex.Start.Line, (int)ex.Start.Column, "", ex.Message));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new FaultScriptError(1, 1, "", "The file must be a mapping with apiVersion, kind, metadata and spec."));
            return null;
        }

        Expect(root, "apiVersion", ApiVersion, errors);
        Expect(root, "kind", "FaultScript", errors);
        string name = "unnamed";
        if (Child(root, "metadata") is YamlMappingNode meta && Child(meta, "name") is YamlScalarNode n && !string.IsNullOrWhiteSpace(n.Value))
        {
            name = n.Value;
        }
        else
        {
            errors.Add(Error(root, "metadata.name", "metadata.name is required."));
        }

        var faults = new List<ScriptedFault>();
        if (Child(root, "spec") is not YamlMappingNode spec || Child(spec, "faults") is not YamlSequenceNode list)
        {
            errors.Add(Error(root, "spec.faults", "spec.faults must be a list of faults."));
            return null;
        }

        for (int i = 0; i < list.Children.Count; i++)
        {
            string path = $"spec.faults[{i}]";
            if (list.Children[i] is not YamlMappingNode entry)
            {
                errors.Add(Error(list.Children[i], path, "A fault must be a mapping such as { at: 10m, target: node/gpu0, fault: xid, xid: 79 }."));
                continue;
            }

            if (ReadFault(entry, path, errors) is { } fault)
            {
                faults.Add(fault);
            }
        }

        return errors.Count > 0 ? null : new FaultScript(name, faults);
    }

    private static ScriptedFault? ReadFault(YamlMappingNode entry, string path, List<FaultScriptError> errors)
    {
        int before = errors.Count;
        foreach (var key in entry.Children.Keys)
        {
            if (key is YamlScalarNode k && !FaultFields.Contains(k.Value ?? ""))
            {
                errors.Add(Error(key, $"{path}.{k.Value}", $"Unknown field '{k.Value}'. Known: {string.Join(", ", FaultFields)}."));
            }
        }

        TimeSpan at = TimeSpan.Zero;
        if (Scalar(entry, "at", path, errors, required: true) is { } atNode && !TryParseDuration(atNode.Value, out at))
        {
            errors.Add(Error(atNode, $"{path}.at", $"'{atNode.Value}' is not a duration such as 90s, 10m, 1h30m or 2d."));
        }

        TimeSpan? duration = null;
        if (Scalar(entry, "duration", path, errors, required: false) is { } dNode)
        {
            if (TryParseDuration(dNode.Value, out var d) && d > TimeSpan.Zero)
            {
                duration = d;
            }
            else
            {
                errors.Add(Error(dNode, $"{path}.duration", $"'{dNode.Value}' is not a positive duration such as 30m."));
            }
        }

        FaultKind kind = FaultKind.Xid;
        var kindNode = Scalar(entry, "fault", path, errors, required: true);
        if (kindNode is not null && !Kinds.TryGetValue(kindNode.Value ?? "", out kind))
        {
            errors.Add(Error(kindNode, $"{path}.fault", $"Unknown fault '{kindNode.Value}'. Known: {string.Join(", ", Kinds.Keys)}."));
            kindNode = null;
        }

        int? xid = null;
        var xidNode = Scalar(entry, "xid", path, errors, required: false);
        if (xidNode is not null)
        {
            if (!int.TryParse(xidNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int code) || !XidCatalog.TryGet(code, out _))
            {
                errors.Add(Error(xidNode, $"{path}.xid", $"'{xidNode.Value}' is not an XID in NVIDIA's catalogue."));
            }
            else if (kindNode is not null && kind != FaultKind.Xid)
            {
                errors.Add(Error(xidNode, $"{path}.xid", "xid is only allowed with fault: xid."));
            }
            else
            {
                xid = code;
            }
        }
        else if (kindNode is not null && kind == FaultKind.Xid)
        {
            errors.Add(Error(kindNode, $"{path}.xid", "fault: xid needs an xid code, e.g. xid: 79."));
        }

        FaultCause? cause = null;
        if (Scalar(entry, "cause", path, errors, required: false) is { } cNode)
        {
            if (Enum.TryParse<FaultCause>(cNode.Value?.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var c))
            {
                cause = c;
            }
            else
            {
                errors.Add(Error(cNode, $"{path}.cause", $"Unknown cause '{cNode.Value}'. Known: {string.Join(", ", Enum.GetNames<FaultCause>())}."));
            }
        }

        string target = "";
        if (Scalar(entry, "target", path, errors, required: true) is { } tNode)
        {
            target = tNode.Value ?? "";
            if (kindNode is not null && ShapeProblem(kind, target) is { } problem)
            {
                errors.Add(Error(tNode, $"{path}.target", problem));
            }
        }

        return errors.Count > before
            ? null
            : new ScriptedFault(at, new FaultRequest(kind, target, xid, cause, duration), (int)entry.Start.Line, (int)entry.Start.Column, path);
    }

    private static string? ShapeProblem(FaultKind kind, string target)
    {
        bool gpu = target.Contains("/gpu", StringComparison.Ordinal);
        bool port = target.Contains("/mlx5_", StringComparison.Ordinal);
        return kind switch
        {
            FaultKind.Xid or FaultKind.EccDbeStorm or FaultKind.Thermal or FaultKind.Straggler or FaultKind.SilentDataCorruption or FaultKind.NcclTimeout
                when !gpu => $"A {kind} fault targets a GPU (node/gpuN), not '{target}'.",
            FaultKind.LinkDown or FaultKind.PortErrors when !port => $"A {kind} fault targets a node port (node/mlx5_N), not '{target}'.",
            FaultKind.SwitchDown or FaultKind.PduDown or FaultKind.HeartbeatLoss when gpu || port || target.Length == 0 =>
                $"A {kind} fault targets a {(kind == FaultKind.SwitchDown ? "leaf switch" : kind == FaultKind.PduDown ? "PDU" : "node")} id, not '{target}'.",
            _ => null,
        };
    }

    /// <summary>Parses durations such as <c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c> (and <c>0</c>).</summary>
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

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static YamlScalarNode? Scalar(YamlMappingNode map, string key, string path, List<FaultScriptError> errors, bool required)
    {
        var node = Child(map, key);
        if (node is null)
        {
            if (required)
            {
                errors.Add(Error(map, $"{path}.{key}", $"{key} is required."));
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            errors.Add(Error(node, $"{path}.{key}", $"{key} must be a single value."));
            return null;
        }

        return scalar;
    }

    private static void Expect(YamlMappingNode root, string key, string expected, List<FaultScriptError> errors)
    {
        var node = Child(root, key);
        if (node is not YamlScalarNode s || s.Value != expected)
        {
            errors.Add(Error(node ?? root, key, $"{key} must be '{expected}'."));
        }
    }

    private static FaultScriptError Error(YamlNode node, string path, string message) =>
        new((int)node.Start.Line, (int)node.Start.Column, path, message);
}
