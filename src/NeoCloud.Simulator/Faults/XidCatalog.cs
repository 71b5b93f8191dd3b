using System.Collections.Frozen;
using System.Globalization;

namespace NeoCloud.Simulator.Faults;

/// <summary>One XID code from NVIDIA's catalogue: its name, the immediate action NVIDIA advises, and whether it is fatal.</summary>
internal sealed record XidInfo(int Code, string Name, string ImmediateAction, bool Fatal);

/// <summary>NVIDIA's XID catalogue, read once from the embedded copy of <c>xid-catalog.csv</c>.</summary>
internal static class XidCatalog
{
    private static readonly FrozenDictionary<int, XidInfo> ByCode = Load();

    public static int Count => ByCode.Count;

    public static bool TryGet(int code, out XidInfo info) => ByCode.TryGetValue(code, out info!);

    public static XidInfo Get(int code) =>
        TryGet(code, out var info) ? info : throw new KeyNotFoundException($"XID {code} is not in NVIDIA's catalogue.");

    private static FrozenDictionary<int, XidInfo> Load()
    {
        using var stream = typeof(XidCatalog).Assembly.GetManifestResourceStream("NeoCloud.Simulator.xid-catalog.csv")
            ?? throw new InvalidOperationException("The XID catalogue is not embedded in NeoCloud.Simulator.");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<int, XidInfo>();
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            // Names never contain commas; split from both ends so a future name with one still parses.
            int first = line.IndexOf(',');
            int last = line.LastIndexOf(',');
            int middle = line.LastIndexOf(',', last - 1);
            int code = int.Parse(line.AsSpan(0, first), CultureInfo.InvariantCulture);
            string name = line[(first + 1)..middle];
            string action = line[(middle + 1)..last];
            bool fatal = line[(last + 1)..].Trim() == "FATAL";
            result[code] = new XidInfo(code, name, action, fatal);
        }

        return result.ToFrozenDictionary();
    }
}
