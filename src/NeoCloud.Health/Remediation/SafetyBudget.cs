using NeoCloud.Fleet.Topology;

namespace NeoCloud.Health.Remediation;

/// <summary>
/// The safety budget of automatic remediation: how many nodes may be out of service at once per cluster (a site) and per
/// failure domain (rack, leaf group, PDU). Limits are computed once from the topology; admission and the "exceeded"
/// check count the same way, so an admitted run can never push held capacity over the budget.
/// </summary>
internal sealed class SafetyBudget
{
    private readonly Dictionary<string, string[]> _scopesOfNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _limits = new(StringComparer.Ordinal);

    public SafetyBudget(FleetTopology topology, RemediationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxClusterFraction is < 0 or > 1 || policy.MaxDomainFraction is < 0 or > 1)
        {
            throw new ArgumentException(
                $"Remediation policy: MaxClusterFraction ({policy.MaxClusterFraction}) and MaxDomainFraction ({policy.MaxDomainFraction}) must be between 0 and 1.",
                nameof(policy));
        }

        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in topology.Nodes)
        {
            string[] scopes = [$"site:{node.Site.Value}", $"rack:{node.Rack.Value}", $"leaf:{node.LeafGroup}", $"pdu:{node.Pdu.Value}"];
            _scopesOfNode[node.Id.Value] = scopes;
            foreach (var scope in scopes)
            {
                sizes[scope] = sizes.GetValueOrDefault(scope) + 1;
            }
        }

        foreach (var (scope, size) in sizes)
        {
            bool site = scope.StartsWith("site:", StringComparison.Ordinal);
            int byCount = site ? policy.MaxClusterNodes : policy.MaxDomainNodes;
            double fraction = site ? policy.MaxClusterFraction : policy.MaxDomainFraction;

            // At least one node is always allowed: otherwise a small domain (or a small cluster) could never be repaired at all.
            _limits[scope] = Math.Max(1, Math.Min(byCount, (int)Math.Floor(fraction * size)));
        }
    }

    /// <summary>The most nodes of <paramref name="scope"/> (<c>site:…</c>, <c>rack:…</c>, <c>leaf:…</c>, <c>pdu:…</c>) that may be held at once.</summary>
    public int Limit(string scope) =>
        _limits.TryGetValue(scope, out int limit) ? limit : throw new KeyNotFoundException($"Safety budget: no scope '{scope}'.");

    /// <summary>
    /// Whether <paramref name="candidate"/> nodes may be taken in addition to <paramref name="held"/>; when not,
    /// <paramref name="why"/> names the first scope that would overflow.
    /// </summary>
    public bool Admits(IReadOnlySet<string> held, IReadOnlyList<string> candidate, out string why)
    {
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in candidate)
        {
            if (!held.Contains(node))
            {
                added.Add(node);
            }
        }

        why = "";
        if (added.Count == 0)
        {
            return true;
        }

        var counts = Count(held);
        foreach (var node in added)
        {
            foreach (var scope in ScopesOf(node))
            {
                counts[scope] = counts.GetValueOrDefault(scope) + 1;
            }
        }

        foreach (var node in added)
        {
            foreach (var scope in ScopesOf(node))
            {
                if (counts[scope] > _limits[scope])
                {
                    why = $"{scope} would hold {counts[scope]} node(s) in remediation, above its limit of {_limits[scope]}";
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The first scope where <paramref name="held"/> is above its limit, or null when the budget holds.</summary>
    public string? Exceeded(IReadOnlySet<string> held)
    {
        foreach (var (scope, count) in Count(held))
        {
            if (count > _limits[scope])
            {
                return $"{scope} holds {count} node(s), above its limit of {_limits[scope]}";
            }
        }

        return null;
    }

    public bool Knows(string node) => _scopesOfNode.ContainsKey(node);

    private Dictionary<string, int> Count(IReadOnlySet<string> held)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in held)
        {
            foreach (var scope in ScopesOf(node))
            {
                counts[scope] = counts.GetValueOrDefault(scope) + 1;
            }
        }

        return counts;
    }

    private string[] ScopesOf(string node) =>
        _scopesOfNode.TryGetValue(node, out var scopes)
            ? scopes
            : throw new InvalidOperationException($"Safety budget: node '{node}' is not in the fleet's topology.");
}
