namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// The firing source alerts of every inhibit rule, keyed by their <c>equal</c> label values, taken once per flush: a
/// switch failure can raise thousands of alerts at once, and checking each against every other would be quadratic.
/// </summary>
internal sealed class InhibitionIndex
{
    private readonly (InhibitRule Rule, Dictionary<string, List<ulong>> Sources)[] _rules;

    public InhibitionIndex(IReadOnlyList<InhibitRule> rules, IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        _rules = [.. rules.Select(rule => (rule, new Dictionary<string, List<ulong>>(StringComparer.Ordinal)))];
        foreach (var alert in alerts)
        {
            if (alert.IsResolvedAt(now))
            {
                continue;
            }

            foreach (var (rule, sources) in _rules)
            {
                if (!rule.IsSource(alert))
                {
                    continue;
                }

                string key = EqualKey(rule, alert);
                if (!sources.TryGetValue(key, out var fingerprints))
                {
                    sources[key] = fingerprints = [];
                }

                fingerprints.Add(alert.Fingerprint);
            }
        }
    }

    /// <summary>Whether some firing source other than the alert itself mutes it (see <see cref="InhibitRule.Inhibits"/>).</summary>
    public bool Mutes(Alert alert)
    {
        foreach (var (rule, sources) in _rules)
        {
            if (rule.IsTarget(alert)
                && sources.TryGetValue(EqualKey(rule, alert), out var fingerprints)
                && fingerprints.Exists(f => f != alert.Fingerprint))
            {
                return true;
            }
        }

        return false;
    }

    // Length-prefixed, so that no label value, whatever it contains, can make two different tuples share a key.
    private static string EqualKey(InhibitRule rule, Alert alert) =>
        string.Concat(rule.Equal.Select(label => alert[label]).Select(value => $"{value.Length}:{value};"));
}
