namespace NeoCloud.Reliability.Budgets;

/// <summary>One objective that moved a decision: its budget left, the rule's bound it fell under, and what that rule says.</summary>
public sealed record BudgetReason(string Slo, string Objective, double BudgetRemaining, double Below, BudgetVerdict Verdict);
