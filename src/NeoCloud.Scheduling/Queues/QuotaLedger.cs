namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// Quota admission and accounting. A demand fits a queue when, for every flavour it uses, the queue stays within nominal
/// plus its borrowing limit and its cohort's total borrowing stays within what the members lend of their unused nominal
/// (each capped by its lending limit). A queue without a cohort never goes above nominal.
/// </summary>
internal static class QuotaLedger
{
    public static bool Fits(QueueState queue, ReadOnlySpan<long> demand)
    {
        for (int f = 0; f < demand.Length; f++)
        {
            long d = demand[f];
            if (d <= 0)
            {
                continue;
            }

            long used = queue.Usage[f];
            long after = used + d;
            long nominal = queue.Nominal[f];
            if (after > nominal && after - nominal > queue.BorrowingLimit[f])
            {
                return false;
            }

            if (queue.Cohort is not { } cohort)
            {
                if (after > nominal)
                {
                    return false;
                }

                continue;
            }

            long borrowedAfter = cohort.Borrowed[f] - Math.Max(0, used - nominal) + Math.Max(0, after - nominal);
            long lendableAfter = cohort.Lendable[f] - queue.LendableOf(f) + Math.Min(queue.LendingLimit[f], Math.Max(0, nominal - after));
            if (borrowedAfter > lendableAfter)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the demand keeps the queue within its own nominal quota in every flavour.</summary>
    public static bool WithinNominal(QueueState queue, ReadOnlySpan<long> demand)
    {
        for (int f = 0; f < demand.Length; f++)
        {
            if (demand[f] > 0 && queue.Usage[f] + demand[f] > queue.Nominal[f])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or removes (-1) usage, keeping the cohort's totals exact.</summary>
    public static void Add(QueueState queue, ReadOnlySpan<long> usage, int sign)
    {
        var cohort = queue.Cohort;
        for (int f = 0; f < usage.Length; f++)
        {
            long u = usage[f];
            if (u == 0)
            {
                continue;
            }

            if (cohort is not null)
            {
                cohort.Borrowed[f] -= queue.BorrowedOf(f);
                cohort.Lendable[f] -= queue.LendableOf(f);
            }

            queue.Usage[f] += sign * u;
            if (cohort is not null)
            {
                cohort.Borrowed[f] += queue.BorrowedOf(f);
                cohort.Lendable[f] += queue.LendableOf(f);
            }
        }
    }
}
