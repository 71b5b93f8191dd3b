using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Reliability.Tests;

public sealed class BurnRatePolicyTests
{
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);

    [Fact]
    public void The_workbook_windows_give_the_factors_of_the_facts_table_for_thirty_days()
    {
        var table = BurnRatePolicy.Workbook.Select(w => (w.Severity, w.FactorFor(ThirtyDays), w.LongWindow, w.ShortWindow)).ToList();

        Assert.Equal(
        [
            (AlertSeverity.Page, 14.4m, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
            (AlertSeverity.Page, 6m, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
            (AlertSeverity.Ticket, 3m, TimeSpan.FromDays(1), TimeSpan.FromHours(2)),
            (AlertSeverity.Ticket, 1m, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
        ], table);
    }

    [Theory]
    [InlineData(28, 2, 1, 13.44)]
    [InlineData(7, 2, 1, 3.36)]
    [InlineData(90, 10, 72, 3)]
    [InlineData(28, 5, 6, 5.6)]
    public void Other_periods_follow_the_formula(int periodDays, int budgetPercent, int longHours, double factor)
    {
        Assert.Equal((decimal)factor, BurnRatePolicy.Factor(budgetPercent, TimeSpan.FromDays(periodDays), TimeSpan.FromHours(longHours)));
    }

    [Fact]
    public void Budget_percent_is_the_inverse_of_the_factor()
    {
        Assert.Equal(2m, BurnRatePolicy.BudgetPercent(14.4m, ThirtyDays, TimeSpan.FromHours(1)));
        Assert.Equal(10m, BurnRatePolicy.BudgetPercent(1m, ThirtyDays, TimeSpan.FromDays(3)));
    }

    [Fact]
    public void A_burn_rate_of_one_spends_the_budget_exactly_over_the_period()
    {
        Assert.Equal(1.0, ErrorBudget.BurnRate(0.001, 0.999m), 12);
        Assert.Equal(ThirtyDays, ErrorBudget.TimeToExhaustion(1.0, ThirtyDays));
        Assert.Equal(TimeSpan.FromHours(50), ErrorBudget.TimeToExhaustion(14.4, ThirtyDays));
    }

    [Fact]
    public void Budget_remaining_goes_negative_once_overspent()
    {
        Assert.Equal(0.5, ErrorBudget.Remaining(0.0005, 0.999m), 12);
        Assert.Equal(-1.0, ErrorBudget.Remaining(0.002, 0.999m), 12);
    }
}
