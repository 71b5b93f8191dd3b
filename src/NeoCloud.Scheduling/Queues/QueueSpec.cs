namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// A scheduling queue of one tenant (<c>kind: Queue</c>): its cohort (null: lends and borrows nothing), fair-share weight,
/// the priority classes its workloads may use (null: any) and a quota per resource flavour. A GPU model not listed has
/// nominal 0; <c>cpu</c> or <c>memory</c> not listed is not rationed.
/// </summary>
public sealed record QueueSpec(
    string Name,
    string Tenant,
    string? Cohort,
    double Weight,
    IReadOnlyList<string>? PriorityClasses,
    IReadOnlyList<FlavourQuota> Quotas)
{
    /// <summary>Why this queue is inconsistent, or null when it is well formed.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "a queue must be named";
        }

        if (string.IsNullOrWhiteSpace(Tenant))
        {
            return $"queue {Name}: tenant must be named";
        }

        if (!double.IsFinite(Weight) || Weight <= 0)
        {
            return $"queue {Name}: weight must be a positive number, got {Weight}";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var quota in Quotas)
        {
            if (quota.Problem() is { } problem)
            {
                return $"queue {Name}: {problem}";
            }

            if (!seen.Add(quota.Flavour))
            {
                return $"queue {Name}: flavour {quota.Flavour} is listed twice";
            }

            if (Cohort is null && quota.BorrowingLimit is > 0)
            {
                return $"queue {Name}: {quota.Flavour} has a borrowingLimit but the queue is in no cohort to borrow from";
            }
        }

        return null;
    }
}
