namespace NeoCloud.Health.Remediation;

/// <summary>
/// One circuit breaker over a scope of the fleet (<c>fleet</c>, <c>region:euw1</c>): it counts the distinct nodes of
/// fatal diagnoses within a sliding window and trips when they exceed a fraction of the scope or an absolute cap, the
/// signature of a systemic cause (a bad driver roll-out, a cooling failure) that automation must not "fix" node by node.
/// </summary>
internal sealed class Breaker(string scope, int scopeNodes, double fraction, int maxNodes, TimeSpan window)
{
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);

    public string Scope => scope;

    public bool IsOpen { get; private set; }

    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>Distinct nodes diagnosed within the window, as of the last <see cref="Record"/>.</summary>
    public int NodesInWindow => _lastSeen.Count;

    /// <summary>The most nodes the window may hold before the breaker trips.</summary>
    public double Threshold => Math.Min(fraction * scopeNodes, maxNodes);

    /// <summary>Counts <paramref name="nodes"/> as diagnosed at <paramref name="at"/>; returns true when this call trips the breaker.</summary>
    public bool Record(IEnumerable<string> nodes, DateTimeOffset at)
    {
        foreach (var node in nodes)
        {
            _lastSeen[node] = at;
        }

        var cutoff = at - window;
        foreach (var (node, seen) in _lastSeen.ToList())
        {
            if (seen < cutoff)
            {
                _lastSeen.Remove(node);
            }
        }

        if (IsOpen || (_lastSeen.Count <= fraction * scopeNodes && _lastSeen.Count <= maxNodes))
        {
            return false;
        }

        IsOpen = true;
        OpenedAt = at;
        return true;
    }

    /// <summary>A person closed it: the window starts empty so the spike that tripped it does not trip it again at once.</summary>
    public void Reset()
    {
        IsOpen = false;
        OpenedAt = null;
        _lastSeen.Clear();
    }
}
