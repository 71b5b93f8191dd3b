using System.Globalization;

namespace NeoCloud.Access.Audit;

/// <summary>
/// Source ids of relayed audit entries: <c>{stream}:{sequence}</c>, where the stream names another context's ordered log
/// (<c>fleet.transition</c>) and the sequence is the record's position in it, so a relay can resume from the audit log alone.
/// </summary>
public static class AuditSource
{
    public static string Id(string stream, long sequence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return stream + ":" + sequence.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Splits a source id into its stream and sequence; false for an id that names no sequence (still a valid, unique source id).</summary>
    public static bool TryParse(string? sourceId, out string stream, out long sequence)
    {
        stream = "";
        sequence = 0;
        int colon = sourceId?.LastIndexOf(':') ?? -1;
        if (colon <= 0
            || !long.TryParse(sourceId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence))
        {
            return false;
        }

        stream = sourceId![..colon];
        return true;
    }
}
