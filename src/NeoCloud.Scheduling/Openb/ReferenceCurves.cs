using System.Globalization;

namespace NeoCloud.Scheduling.Openb;

/// <summary>The published allocation curves (<c>expected_allocation_rate.csv</c>): per policy, the mean over seeds of each arrival column 0..130.</summary>
public static class ReferenceCurves
{
    /// <summary>Mean curve per policy (<c>06-FGD</c>, ...) for one workload (<c>openb_pod_list_default</c>), in the file's policy order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double[]>> Read(string path, string workload)
    {
        using var reader = new StreamReader(path);
        string file = Path.GetFileName(path);
        string header = reader.ReadLine() ?? throw new OpenbFormatException(file, 1, "the file is empty (no header)");
        string[] columns = header.Split(',');
        int workloadColumn = Array.IndexOf(columns, "workload"), policyColumn = Array.IndexOf(columns, "sc_policy");
        int first = Array.IndexOf(columns, "0");
        if (workloadColumn < 0 || policyColumn < 0 || first < 0)
        {
            throw new OpenbFormatException(file, 1, "expected columns workload, sc_policy and 0..130");
        }

        int levels = columns.Length - first;
        var sums = new Dictionary<string, (double[] Sum, int Rows)>(StringComparer.Ordinal);
        var order = new List<string>();
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            string[] cells = text.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new OpenbFormatException(file, line, $"{cells.Length} fields where the header has {columns.Length}");
            }

            if (cells[workloadColumn] != workload)
            {
                continue;
            }

            string policy = cells[policyColumn];
            if (!sums.TryGetValue(policy, out var entry))
            {
                entry = (new double[levels], 0);
                order.Add(policy);
            }

            for (int x = 0; x < levels; x++)
            {
                if (!double.TryParse(cells[first + x], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new OpenbFormatException(file, line, $"column {columns[first + x]} '{cells[first + x]}' is not a number");
                }

                entry.Sum[x] += value;
            }

            sums[policy] = (entry.Sum, entry.Rows + 1);
        }

        return [.. order.Select(p => new KeyValuePair<string, double[]>(p, [.. sums[p].Sum.Select(s => s / sums[p].Rows)]))];
    }
}
