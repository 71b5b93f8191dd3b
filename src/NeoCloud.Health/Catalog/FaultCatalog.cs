using System.Collections.Frozen;
using System.Globalization;
using NeoCloud.Health.Findings;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Health.Catalog;

/// <summary>
/// The fault catalogue as data: every NVIDIA XID (<c>XID-&lt;n&gt;</c>, from the embedded <c>xid-catalog.csv</c>, with
/// NVIDIA's action bucket) and NeoCloud's own rules (<c>rules.yaml</c>). Read once; immutable.
/// </summary>
public sealed class FaultCatalog
{
    private readonly FrozenDictionary<string, FaultCode> _byCode;
    private readonly FrozenDictionary<int, FaultCode> _byXid;

    private FaultCatalog(IEnumerable<FaultCode> codes, IReadOnlyDictionary<int, FaultCode> xids)
    {
        _byCode = codes.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        _byXid = xids.ToFrozenDictionary();
        All = [.. _byCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal)];
    }

    /// <summary>The catalogue shipped with NeoCloud.</summary>
    public static FaultCatalog Default { get; } = LoadEmbedded();

    public IReadOnlyList<FaultCode> All { get; }

    public int XidCount => _byXid.Count;

    public bool TryGet(string code, out FaultCode fault) => _byCode.TryGetValue(code, out fault!);

    public FaultCode Get(string code) =>
        TryGet(code, out var f) ? f : throw new KeyNotFoundException($"Fault code '{code}' is not in the catalogue.");

    /// <summary>The entry of an XID; an XID missing from NVIDIA's list is treated as fatal and diagnosed (the safe reading).</summary>
    public FaultCode Xid(int xid) =>
        _byXid.TryGetValue(xid, out var f)
            ? f
            : new FaultCode(XidCode(xid), "UNKNOWN_XID", SignalSource.Xid, ComponentKind.Gpu, Severity.Critical, true, RemedyHint.Diagnose, null,
                $"XID {xid} is not in NVIDIA's catalogue: treated as fatal until diagnostics say otherwise.");

    public static string XidCode(int xid) => "XID-" + xid.ToString(CultureInfo.InvariantCulture);

    /// <summary>How NVIDIA's immediate-action bucket maps to our least remedy.</summary>
    public static RemedyHint RemedyForBucket(string bucket) => bucket switch
    {
        "IGNORE" => RemedyHint.None,
        "RESTART_APP" => RemedyHint.RestartApplication,
        "RESET_GPU" => RemedyHint.ResetGpu,
        "RESTART_BM" or "RESTART_VM" => RemedyHint.RebootNode,
        "UNEXPECTED_ERR_REPORT_ISSUE" => RemedyHint.Replace,
        _ => RemedyHint.Diagnose, // CHECK_*, WORKFLOW_*, FOLLOW_OTHER_XID, UPDATE_SWFW: decide by diagnostics
    };

    private static FaultCatalog LoadEmbedded()
    {
        var assembly = typeof(FaultCatalog).Assembly;
        using var csv = assembly.GetManifestResourceStream("NeoCloud.Health.Catalog.xid-catalog.csv")
            ?? throw new InvalidOperationException("xid-catalog.csv is not embedded in NeoCloud.Health.");
        using var yaml = assembly.GetManifestResourceStream("NeoCloud.Health.Catalog.rules.yaml")
            ?? throw new InvalidOperationException("rules.yaml is not embedded in NeoCloud.Health.");
        return Load(new StreamReader(csv), new StreamReader(yaml));
    }

    /// <summary>Reads a catalogue from NVIDIA's CSV and a rules document; throws <see cref="FormatException"/> naming the line of a bad row.</summary>
    public static FaultCatalog Load(TextReader xidCsv, TextReader rulesYaml)
    {
        ArgumentNullException.ThrowIfNull(xidCsv);
        ArgumentNullException.ThrowIfNull(rulesYaml);
        var xids = new Dictionary<int, FaultCode>();
        var codes = new List<FaultCode>();
        int lineNo = 1;
        _ = xidCsv.ReadLine();
        while (xidCsv.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            int first = line.IndexOf(',', StringComparison.Ordinal);
            int last = line.LastIndexOf(',');
            int middle = first < 0 || last <= first ? -1 : line.LastIndexOf(',', last - 1);
            if (middle <= first || !int.TryParse(line.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out int xid))
            {
                throw new FormatException($"xid-catalog.csv line {lineNo}: expected 'xid,name,immediate_action,fatality'.");
            }

            string name = line[(first + 1)..middle];
            string bucket = line[(middle + 1)..last];
            bool fatal = line[(last + 1)..].Trim() == "FATAL";
            var code = new FaultCode(
                XidCode(xid), name, SignalSource.Xid, ComponentKind.Gpu, fatal ? Severity.Critical : Severity.Warning, fatal,
                RemedyForBucket(bucket), bucket, $"XID {xid} {name}; NVIDIA's immediate action: {bucket}.");
            if (!xids.TryAdd(xid, code))
            {
                throw new FormatException($"xid-catalog.csv line {lineNo}: XID {xid} is listed twice.");
            }

            codes.Add(code);
        }

        var stream = new YamlStream();
        stream.Load(rulesYaml);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>())
        {
            string Field(string key) =>
                node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { } s }
                    ? s
                    : throw new FormatException($"rules.yaml line {node.Start.Line}: rule is missing '{key}'.");

            T Enum<T>(string key)
                where T : struct, System.Enum =>
                System.Enum.TryParse<T>(Field(key), ignoreCase: false, out var value)
                    ? value
                    : throw new FormatException($"rules.yaml line {node.Start.Line}: '{key}: {Field(key)}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");

            codes.Add(new FaultCode(
                Field("code"), Field("name"), Enum<SignalSource>("source"), Enum<ComponentKind>("scope"), Enum<Severity>("severity"),
                bool.Parse(Field("fatal")), Enum<RemedyHint>("remedy"), null, Field("description")));
        }

        var duplicate = codes.GroupBy(c => c.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"Fault code '{duplicate.Key}' is defined twice.");
        }

        return new FaultCatalog(codes, xids);
    }
}
