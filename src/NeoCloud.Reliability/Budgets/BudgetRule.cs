namespace NeoCloud.Reliability.Budgets;

/// <summary>One rule of an error-budget policy: an objective with less than <see cref="Below"/> of its budget left (a ratio; 0 means overspent) gives <see cref="Verdict"/>.</summary>
public sealed record BudgetRule(double Below, BudgetVerdict Verdict);
