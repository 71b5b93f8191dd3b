namespace NeoCloud.Server.Reliability.Slos;

/// <summary>One rule of an error-budget policy: under this share of budget left, this decision.</summary>
public sealed record PolicyRuleView(double BudgetRemainingBelow, string Decision);
