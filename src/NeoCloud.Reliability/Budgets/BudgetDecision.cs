namespace NeoCloud.Reliability.Budgets;

/// <summary>
/// What the error-budget policy decided for a change to <see cref="Service"/>: the verdict, the policy that gave it, how
/// many objectives it weighed, and the objectives under a rule's bound, most restrictive and least budget first.
/// </summary>
public sealed record BudgetDecision(string Service, BudgetVerdict Verdict, string Policy, int ObjectivesConsidered, IReadOnlyList<BudgetReason> Reasons)
{
    public bool Allowed => Verdict == BudgetVerdict.Allowed;
}
