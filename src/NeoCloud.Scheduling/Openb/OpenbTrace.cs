using System.Globalization;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Openb;

/// <summary>
/// Reads the openb CSV files: the node list (<c>sn,cpu_milli,memory_mib,gpu,model</c>) and pod lists
/// (<c>name,cpu_milli,memory_mib,num_gpu,gpu_milli</c>, optional <c>gpu_spec</c>; other columns are ignored).
/// A malformed row is an error naming its line; nothing is skipped silently.
/// </summary>
public static class OpenbTrace
{
    public static IReadOnlyList<NodeCapacity> ReadNodesFile(string path)
    {
        using var reader = new StreamReader(path);
        return ReadNodes(reader, Path.GetFileName(path));
    }

    public static IReadOnlyList<OpenbTask> ReadPodsFile(string path)
    {
        using var reader = new StreamReader(path);
        return ReadPods(reader, Path.GetFileName(path));
    }

    public static IReadOnlyList<NodeCapacity> ReadNodes(TextReader reader, string file)
    {
        var nodes = new List<NodeCapacity>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Rows(reader, file, ["sn", "cpu_milli", "memory_mib", "gpu", "model"], []))
        {
            string name = row.Text("sn");
            int gpus = row.Int("gpu");
            string model = row.Text("model");
            if (name.Length == 0 || !names.Add(name))
            {
                throw row.Error(name.Length == 0 ? "sn is empty" : $"node '{name}' appears twice");
            }

            if (gpus is < 0 or > ClusterSnapshot.MaxGpusPerNode)
            {
                throw row.Error($"gpu must be between 0 and {ClusterSnapshot.MaxGpusPerNode}");
            }

            if (gpus > 0 && model.Length == 0)
            {
                throw row.Error("model is empty on a node with GPUs");
            }

            nodes.Add(new NodeCapacity(name, row.NonNegative("cpu_milli"), row.NonNegative("memory_mib"), gpus, model));
        }

        return nodes;
    }

    public static IReadOnlyList<OpenbTask> ReadPods(TextReader reader, string file)
    {
        var tasks = new List<OpenbTask>();
        foreach (var row in Rows(reader, file, ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"], ["gpu_spec"]))
        {
            string spec = row.Has("gpu_spec") ? row.Text("gpu_spec") : "";
            var models = spec.Length == 0 ? null : spec.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var request = new PlacementRequest(row.NonNegative("cpu_milli"), row.NonNegative("memory_mib"), row.Int("num_gpu"), row.Int("gpu_milli"), models);
            if (request.Problem() is { } problem)
            {
                throw row.Error(problem);
            }

            tasks.Add(new OpenbTask(row.Text("name"), request));
        }

        return tasks;
    }

    private static IEnumerable<Row> Rows(TextReader reader, string file, string[] required, string[] optional)
    {
        string? header = reader.ReadLine() ?? throw new OpenbFormatException(file, 1, "the file is empty (no header)");
        string[] columns = header.Split(',', StringSplitOptions.TrimEntries);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            index.TryAdd(columns[i], i);
        }

        var missing = required.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new OpenbFormatException(file, 1, $"missing column(s) {string.Join(", ", missing)}; the header is '{header}'");
        }

        var known = required.Concat(optional.Where(index.ContainsKey)).ToDictionary(c => c, c => index[c], StringComparer.Ordinal);
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            string[] cells = text.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != columns.Length)
            {
                throw new OpenbFormatException(file, line, $"{cells.Length} fields where the header has {columns.Length}");
            }

            yield return new Row(file, line, cells, known);
        }
    }

    private readonly struct Row(string file, int line, string[] cells, Dictionary<string, int> index)
    {
        public bool Has(string column) => index.ContainsKey(column);

        public string Text(string column) => cells[index[column]];

        public int Int(string column) =>
            int.TryParse(Text(column), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw Error($"{column} '{Text(column)}' is not a whole number");

        public int NonNegative(string column) => Int(column) is var value and >= 0 ? value : throw Error($"{column} must not be negative");

        public OpenbFormatException Error(string problem) => new(file, line, problem);
    }
}
