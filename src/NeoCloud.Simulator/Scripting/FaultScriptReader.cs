using System.Globalization;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Simulator.Faults;

namespace NeoCloud.Simulator.Scripting;

/// <summary>Reads and validates a <c>kind: FaultScript</c> file; a bad file is rejected whole, every error with its line.</summary>
/// <remarks>
/// The envelope, field reading and unknown-field checks are the Kernel's (<see cref="ManifestDocument"/>, <see cref="SpecMapping"/>);
/// this reader adds what a fault is. Targets are checked for shape here; whether they exist is checked against a fleet when
/// the twin schedules the script.
/// </remarks>
public static class FaultScriptReader
{
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

    public static FaultScript Parse(string yaml)
    {
        var errors = new List<SpecError>();
        var script = TryParse(yaml, errors);
        if (errors.Count > 0 || script is null)
        {
            throw new FaultScriptException(errors);
        }

        return script;
    }

    public static FaultScript ReadFile(string path) => Parse(File.ReadAllText(path));

    public static FaultScript? TryParse(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        var document = ManifestDocument.Load(yaml, "FaultScript", errors);
        if (document is null)
        {
            return null;
        }

        var spec = document.Spec;
        if (spec.Get("faults") is null)
        {
            spec.Error(null, "faults", "is required: a list of faults");
        }

        var entries = spec.Sequence("faults", required: false);
        spec.RejectUnknown();
        var faults = new List<ScriptedFault>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (SpecMapping.From(entries[i], $"spec.faults[{i}]", errors) is { } entry
                && ReadFault(entry, SpecMapping.Line(entries[i]), SpecMapping.Column(entries[i]), errors) is { } fault)
            {
                faults.Add(fault);
            }
        }

        return errors.Count > before ? null : new FaultScript(document.Name, faults);
    }

    private static ScriptedFault? ReadFault(SpecMapping entry, int line, int column, List<SpecError> errors)
    {
        int before = errors.Count;
        TimeSpan at = entry.Duration("at", required: true) ?? TimeSpan.Zero;
        TimeSpan? duration = entry.Duration("duration", required: false, positive: true);

        FaultKind kind = FaultKind.Xid;
        bool knownKind = false;
        if (entry.String("fault", required: true) is { } kindName)
        {
            knownKind = Kinds.TryGetValue(kindName, out kind);
            if (!knownKind)
            {
                entry.Error(entry.Get("fault"), "fault", $"Unknown fault '{kindName}'. Known: {string.Join(", ", Kinds.Keys)}.");
            }
        }

        int? xid = null;
        if (entry.String("xid", required: false) is { } xidText)
        {
            if (!int.TryParse(xidText, NumberStyles.None, CultureInfo.InvariantCulture, out int code) || !XidCatalog.TryGet(code, out _))
            {
                entry.Error(entry.Get("xid"), "xid", $"'{xidText}' is not an XID in NVIDIA's catalogue.");
            }
            else if (knownKind && kind != FaultKind.Xid)
            {
                entry.Error(entry.Get("xid"), "xid", "xid is only allowed with fault: xid.");
            }
            else
            {
                xid = code;
            }
        }
        else if (knownKind && kind == FaultKind.Xid && entry.Get("xid") is null)
        {
            entry.Error(entry.Get("fault"), "xid", "fault: xid needs an xid code, e.g. xid: 79.");
        }

        FaultCause? cause = null;
        if (entry.String("cause", required: false) is { } causeName)
        {
            if (Enum.TryParse<FaultCause>(causeName.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var c))
            {
                cause = c;
            }
            else
            {
                entry.Error(entry.Get("cause"), "cause", $"Unknown cause '{causeName}'. Known: {string.Join(", ", Enum.GetNames<FaultCause>())}.");
            }
        }

        string target = entry.String("target", required: true) ?? "";
        if (knownKind && target.Length > 0 && ShapeProblem(kind, target) is { } problem)
        {
            entry.Error(entry.Get("target"), "target", problem);
        }

        entry.RejectUnknown();
        return errors.Count > before
            ? null
            : new ScriptedFault(at, new FaultRequest(kind, target, xid, cause, duration), line, column, entry.Path);
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
            FaultKind.SwitchDown or FaultKind.PduDown or FaultKind.HeartbeatLoss when gpu || port =>
                $"A {kind} fault targets a {(kind == FaultKind.SwitchDown ? "leaf switch" : kind == FaultKind.PduDown ? "PDU" : "node")} id, not '{target}'.",
            _ => null,
        };
    }
}
