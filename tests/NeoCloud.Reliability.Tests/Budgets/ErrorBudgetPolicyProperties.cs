using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Budgets;

public sealed class ErrorBudgetPolicyProperties
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static SloStatus Status(string slo, double remaining) =>
        new(slo, "api", "default", null, null, 0.999m, TimeSpan.FromDays(30), BudgetingMethod.Occurrences,
            0, remaining, 0, 0, 0, 1 - remaining, [], [], [], 1_000, At);

    /// <summary>Budgets remaining in thousandths, from twice overspent to all left.</summary>
    private static Arbitrary<int[]> Budgets => Gen.Choose(-2_000, 1_000).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Less_budget_never_loosens_the_verdict_and_the_verdict_is_the_worst_reason() =>
        Prop.ForAll(Budgets, Gen.Choose(0, 1_000).ToArbitrary(), (budgets, spend) =>
        {
            budgets ??= [];
            var policy = ErrorBudgetPolicy.Default;
            var statuses = budgets.Select((b, i) => Status($"slo-{i}", b / 1000.0)).ToList();
            var decision = policy.Consult("api", statuses);

            // Spending more of every budget can only keep or tighten the verdict.
            var poorer = policy.Consult("api", statuses.Select(s => s with { BudgetRemaining = s.BudgetRemaining - (spend / 1000.0) }));
            Assert.True(poorer.Verdict >= decision.Verdict);

            Assert.Equal(statuses.Count, decision.ObjectivesConsidered);
            Assert.Equal(decision.Reasons.Count == 0 ? BudgetVerdict.Allowed : decision.Reasons.Max(r => r.Verdict), decision.Verdict);
            Assert.All(decision.Reasons, r => Assert.True(r.BudgetRemaining < r.Below));
            Assert.Equal(statuses.Count(s => s.BudgetRemaining < 0.10), decision.Reasons.Count);
        });
}
