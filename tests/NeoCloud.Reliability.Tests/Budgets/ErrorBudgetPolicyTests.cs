using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Budgets;

public sealed class ErrorBudgetPolicyTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Strict = """
        apiVersion: neocloud.dev/v1
        kind: ErrorBudgetPolicy
        metadata:
          name: training-strict
        spec:
          services: [training, scheduler]
          rules:
            - budgetRemainingBelow: 25%
              decision: needsApproval
            - budgetRemainingBelow: 0.05
              decision: frozen
        """;

    private static SloStatus Status(string service, string slo, double remaining, string objective = "default") =>
        new(slo, service, objective, null, null, 0.999m, TimeSpan.FromDays(30), BudgetingMethod.Occurrences,
            (1 - remaining) * 0.001, remaining, 0, 0, 0, 1 - remaining, [], [], [], 1_000, At);

    [Theory]
    [InlineData(0.5, BudgetVerdict.Allowed)]
    [InlineData(0.1, BudgetVerdict.Allowed)]
    [InlineData(0.0999, BudgetVerdict.NeedsApproval)]
    [InlineData(0, BudgetVerdict.NeedsApproval)]
    [InlineData(-0.01, BudgetVerdict.Frozen)]
    public void The_default_policy_asks_for_approval_under_ten_percent_and_freezes_an_overspent_budget(double remaining, BudgetVerdict expected)
    {
        var decision = ErrorBudgetPolicy.Default.Consult("api", [Status("api", "availability", remaining)]);

        Assert.Equal(expected, decision.Verdict);
        Assert.Equal("default", decision.Policy);
    }

    [Fact]
    public void The_most_restrictive_objective_decides_and_every_objective_under_a_bound_is_named()
    {
        var statuses = new[]
        {
            Status("api", "availability", 0.8),
            Status("api", "latency", 0.07, "p99"),
            Status("api", "latency", -0.4, "p999"),
            Status("scheduler", "job-starts", -3), // another service: not weighed
        };

        var decision = ErrorBudgetPolicy.Default.Consult("api", statuses);

        Assert.Equal(BudgetVerdict.Frozen, decision.Verdict);
        Assert.Equal(3, decision.ObjectivesConsidered);
        Assert.Equal(
            [new BudgetReason("latency", "p999", -0.4, 0, BudgetVerdict.Frozen), new BudgetReason("latency", "p99", 0.07, 0.10, BudgetVerdict.NeedsApproval)],
            decision.Reasons);
    }

    [Fact]
    public void A_service_without_slos_is_allowed_with_nothing_weighed()
    {
        var decision = ErrorBudgetPolicy.Default.Consult("new-service", [Status("api", "availability", -1)]);

        Assert.Equal((BudgetVerdict.Allowed, 0), (decision.Verdict, decision.ObjectivesConsidered));
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void A_declared_policy_governs_the_services_it_names_and_the_default_the_rest()
    {
        var strict = ErrorBudgetPolicyReader.Parse(Strict);

        Assert.Equal(("training-strict", 2), (strict.Name, strict.Services.Count));
        Assert.Same(strict, ErrorBudgetPolicy.For([strict], "training"));
        Assert.Same(ErrorBudgetPolicy.Default, ErrorBudgetPolicy.For([strict], "api"));
        Assert.Equal(BudgetVerdict.NeedsApproval, strict.Consult("training", [Status("training", "goodput", 0.2)]).Verdict);
        Assert.Equal(BudgetVerdict.Frozen, strict.Consult("training", [Status("training", "goodput", 0.04)]).Verdict);
    }

    [Fact]
    public void A_policy_naming_no_service_is_the_fallback_before_the_default()
    {
        var fallback = ErrorBudgetPolicyReader.Parse(Strict.Replace("  services: [training, scheduler]\n", "", StringComparison.Ordinal));

        Assert.Empty(fallback.Services);
        Assert.Same(fallback, ErrorBudgetPolicy.For([ErrorBudgetPolicyReader.Parse(Strict), fallback], "api"));
    }

    [Theory]
    [InlineData("budgetRemainingBelow: 25%", "budgetRemainingBelow: lots", "spec.rules[0].budgetRemainingBelow", "must be a share of the budget")]
    [InlineData("budgetRemainingBelow: 25%", "budgetRemainingBelow: 250%", "spec.rules[0].budgetRemainingBelow", "between -100% and 100%")]
    [InlineData("decision: frozen", "decision: freeze", "spec.rules[1].decision", "must be needsApproval or frozen")]
    [InlineData("decision: frozen", "decision: needsApproval", "spec.rules[1].decision", "given by two rules")]
    [InlineData("decision: frozen", "decision: frozen\n      when: always", "spec.rules[1].when", "is not a known field")]
    [InlineData("kind: ErrorBudgetPolicy", "kind: ErrorBudget", "kind", "must be")]
    public void A_bad_policy_is_refused_with_where_and_why(string from, string to, string path, string reason)
    {
        var errors = new List<SpecError>();

        Assert.Null(ErrorBudgetPolicyReader.TryParse(Strict.Replace(from, to, StringComparison.Ordinal), errors));
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(reason, StringComparison.Ordinal) && e.Line > 1);
    }

    [Fact]
    public void Every_error_of_a_file_is_listed_at_once()
    {
        string yaml = Strict.Replace("25%", "lots", StringComparison.Ordinal).Replace("decision: frozen", "decision: freeze", StringComparison.Ordinal);

        var error = Assert.Throws<ErrorBudgetPolicyException>(() => ErrorBudgetPolicyReader.Parse(yaml));
        Assert.Equal(2, error.Errors.Count);
    }
}
