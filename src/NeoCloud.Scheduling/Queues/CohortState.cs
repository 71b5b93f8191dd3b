namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// A cohort's running totals per flavour: what its members borrow above nominal and what of their unused nominal they
/// lend (capped by lending limits). Kept exact on every usage change so an admission check is O(1) per flavour.
/// </summary>
internal sealed class CohortState(CohortSpec spec, int flavours)
{
    public CohortSpec Spec { get; set; } = spec;

    public List<QueueState> Members { get; } = [];

    public long[] Borrowed { get; } = new long[flavours];

    public long[] Lendable { get; } = new long[flavours];

    public void Recompute()
    {
        Array.Clear(Borrowed);
        Array.Clear(Lendable);
        foreach (var queue in Members)
        {
            for (int f = 0; f < Borrowed.Length; f++)
            {
                Borrowed[f] += queue.BorrowedOf(f);
                Lendable[f] += queue.LendableOf(f);
            }
        }
    }
}
