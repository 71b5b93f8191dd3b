using NeoCloud.Reliability.Evaluation;

namespace NeoCloud.Reliability.Budgets;

/// <summary>
/// An error-budget policy (<c>kind: ErrorBudgetPolicy</c>): rules that turn the budget left on a service's SLOs into
/// whether a change may ship, need approval or wait for the budget to recover. It applies to the services it names, or,
/// naming none, to every service without a policy of its own; <see cref="Default"/> holds where none is declared.
/// </summary>
public sealed class ErrorBudgetPolicy
{
    public const string Kind = "ErrorBudgetPolicy";

    public ErrorBudgetPolicy(string name, IReadOnlyList<string> services, IReadOnlyList<BudgetRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0)
        {
            throw new ArgumentException($"Error-budget policy '{name}' has no rules.", nameof(rules));
        }

        Name = name;
        Services = services;

        // Most restrictive first, so the first rule an objective falls under is the one that counts.
        Rules = [.. rules.OrderByDescending(r => r.Verdict).ThenBy(r => r.Below)];
    }

    /// <summary>The SRE workbook's policy: under 10% of the budget left, changes need approval; overspent, only fixes ship.</summary>
    public static ErrorBudgetPolicy Default { get; } = new("default", [], [new(0.10, BudgetVerdict.NeedsApproval), new(0, BudgetVerdict.Frozen)]);

    public string Name { get; }

    /// <summary>The services it governs; empty for every service that no other policy names.</summary>
    public IReadOnlyList<string> Services { get; }

    public IReadOnlyList<BudgetRule> Rules { get; }

    public bool Names(string service) => Services.Contains(service, StringComparer.Ordinal);

    /// <summary>The policy for <paramref name="service"/>: the one naming it, else one naming no service, else <see cref="Default"/>.</summary>
    public static ErrorBudgetPolicy For(IEnumerable<ErrorBudgetPolicy> policies, string service)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var list = policies as IReadOnlyList<ErrorBudgetPolicy> ?? [.. policies];
        return list.FirstOrDefault(p => p.Names(service)) ?? list.FirstOrDefault(p => p.Services.Count == 0) ?? Default;
    }

    /// <summary>
    /// Decides for a change to <paramref name="service"/> from its objectives' last evaluations (statuses of other
    /// services are ignored): the most restrictive verdict any objective earns. An objective with no events in its period
    /// has its whole budget and earns nothing.
    /// </summary>
    public BudgetDecision Consult(string service, IEnumerable<SloStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(statuses);
        var reasons = new List<BudgetReason>();
        int considered = 0;
        foreach (var status in statuses)
        {
            if (status.Service != service)
            {
                continue;
            }

            considered++;
            foreach (var rule in Rules)
            {
                if (status.BudgetRemaining < rule.Below)
                {
                    reasons.Add(new BudgetReason(status.Slo, status.Objective, status.BudgetRemaining, rule.Below, rule.Verdict));
                    break;
                }
            }
        }

        var verdict = reasons.Count == 0 ? BudgetVerdict.Allowed : reasons.Max(r => r.Verdict);
        reasons.Sort((a, b) => b.Verdict != a.Verdict ? b.Verdict.CompareTo(a.Verdict) : a.BudgetRemaining.CompareTo(b.BudgetRemaining));
        return new BudgetDecision(service, verdict, Name, considered, reasons);
    }
}
