using System.Collections.Immutable;

namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// One alert as Alertmanager sees it: its labels are its identity (the fingerprint), annotations are free text, and an
/// alert is resolved once its <see cref="EndsAt"/> has passed.
/// </summary>
public sealed record Alert
{
    public Alert(
        IEnumerable<KeyValuePair<string, string>> labels,
        DateTimeOffset startsAt,
        DateTimeOffset? endsAt = null,
        IEnumerable<KeyValuePair<string, string>>? annotations = null)
    {
        Labels = labels.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal);
        Annotations = (annotations ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal);
        StartsAt = startsAt;
        EndsAt = endsAt;
        Fingerprint = FingerprintOf(Labels);
    }

    /// <summary>Labels sorted by name, so that the fingerprint and group keys do not depend on the order given.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; }

    public ImmutableSortedDictionary<string, string> Annotations { get; init; }

    public DateTimeOffset StartsAt { get; init; }

    /// <summary>When the alert stops (or stopped) firing; null while the source says it is still firing.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>FNV-1a over the sorted label pairs, as Prometheus' <c>model.LabelSet.Fingerprint</c> computes it.</summary>
    public ulong Fingerprint { get; }

    /// <summary>The value of a label, or the empty string when absent: Alertmanager treats the two alike.</summary>
    public string this[string label] => Labels.TryGetValue(label, out var value) ? value : string.Empty;

    public bool IsResolvedAt(DateTimeOffset now) => EndsAt is { } end && end <= now;

    public static Alert Firing(DateTimeOffset startsAt, params (string Name, string Value)[] labels) =>
        new(labels.Select(l => KeyValuePair.Create(l.Name, l.Value)), startsAt);

    public Alert ResolvedAt(DateTimeOffset endsAt) => this with { EndsAt = endsAt };

    private static ulong FingerprintOf(ImmutableSortedDictionary<string, string> labels)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        const byte separator = 0xff;
        ulong hash = offset;
        foreach (var (name, value) in labels)
        {
            hash = Add(hash, name);
            hash = (hash ^ separator) * prime;
            hash = Add(hash, value);
            hash = (hash ^ separator) * prime;
        }

        return hash;

        static ulong Add(ulong hash, string text)
        {
            Span<byte> buffer = stackalloc byte[256];
            int count = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
            var bytes = count <= buffer.Length ? buffer[..System.Text.Encoding.UTF8.GetBytes(text, buffer)] : System.Text.Encoding.UTF8.GetBytes(text);
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * prime;
            }

            return hash;
        }
    }
}
