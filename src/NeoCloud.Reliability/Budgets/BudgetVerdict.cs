namespace NeoCloud.Reliability.Budgets;

/// <summary>What the error-budget policy lets a service do with a change, least to most restrictive.</summary>
public enum BudgetVerdict
{
    /// <summary>Ship as usual.</summary>
    Allowed,

    /// <summary>A change needs someone's approval first (the budget is running low).</summary>
    NeedsApproval,

    /// <summary>Only fixes ship until the budget recovers.</summary>
    Frozen,
}
