using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>An error-budget policy as the API shows it: the services it names (none: every service) and its rules.</summary>
public sealed record PolicyView(string Name, IReadOnlyList<string> Services, IReadOnlyList<PolicyRuleView> Rules)
{
    public static PolicyView Of(ErrorBudgetPolicy policy) =>
        new(policy.Name, policy.Services, [.. policy.Rules.Select(r => new PolicyRuleView(r.Below, r.Verdict == BudgetVerdict.Frozen ? "frozen" : r.Verdict == BudgetVerdict.NeedsApproval ? "needs-approval" : "allowed"))]);
}
