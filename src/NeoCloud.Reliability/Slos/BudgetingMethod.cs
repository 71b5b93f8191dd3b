namespace NeoCloud.Reliability.Slos;

/// <summary>How an SLO counts its budget (OpenSLO v1 <c>budgetingMethod</c>).</summary>
public enum BudgetingMethod
{
    /// <summary>Good events over all events in the window.</summary>
    Occurrences,

    /// <summary>Good time slices (a slice is good when its own ratio or value meets the slice target) over all slices.</summary>
    Timeslices,

    /// <summary>The mean of the slices' own ratios.</summary>
    RatioTimeslices,
}
