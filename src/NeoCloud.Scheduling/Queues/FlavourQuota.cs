namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// A queue's quota of one resource flavour: a GPU model (in GPUs, fractions allowed), <c>cpu</c> (cores) or <c>memory</c>
/// (GiB). <paramref name="BorrowingLimit"/> caps what it may take above nominal from its cohort (null: no cap);
/// <paramref name="LendingLimit"/> caps what of its unused nominal the cohort may borrow (null: all of it);
/// <paramref name="Guaranteed"/> is the usage preemption from other queues never takes it below.
/// </summary>
public sealed record FlavourQuota(string Flavour, double Nominal, double? BorrowingLimit = null, double? LendingLimit = null, double? Guaranteed = null)
{
    /// <summary>The flavour name of CPU cores.</summary>
    public const string Cpu = "cpu";

    /// <summary>The flavour name of memory in GiB.</summary>
    public const string Memory = "memory";

    /// <summary>The guaranteed amount, nominal when not given.</summary>
    public double GuaranteedOrNominal => Guaranteed ?? Nominal;

    /// <summary>Why this quota is inconsistent, or null when it is well formed.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Flavour) ? "flavour must be named"
        : !double.IsFinite(Nominal) || Nominal < 0 ? $"{Flavour}: nominal must be a finite number not below 0"
        : BorrowingLimit is { } b && (!double.IsFinite(b) || b < 0) ? $"{Flavour}: borrowingLimit must not be negative"
        : LendingLimit is { } l && (!double.IsFinite(l) || l < 0 || l > Nominal) ? $"{Flavour}: lendingLimit must be between 0 and nominal ({Nominal})"
        : Guaranteed is { } g && (!double.IsFinite(g) || g < 0 || g > Nominal) ? $"{Flavour}: guaranteed must be between 0 and nominal ({Nominal})"
        : null;
}
