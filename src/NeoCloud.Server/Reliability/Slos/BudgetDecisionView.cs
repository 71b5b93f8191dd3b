using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>What the error-budget policy says about changes to one service, and which objectives decided it.</summary>
public sealed record BudgetDecisionView(string Service, string Decision, string Policy, int ObjectivesConsidered, string Reason, IReadOnlyList<BudgetReason> Objectives)
{
    public static BudgetDecisionView Of(BudgetDecision decision)
    {
        string verdict = decision.Verdict switch
        {
            BudgetVerdict.NeedsApproval => "needs-approval",
            BudgetVerdict.Frozen => "frozen",
            _ => "allowed",
        };
        string reason = decision.Reasons.Count == 0
            ? decision.ObjectivesConsidered == 0 ? "no SLO of this service has been evaluated" : $"every one of {decision.ObjectivesConsidered} objectives has budget enough"
            : string.Join("; ", decision.Reasons.Select(r => $"{r.Slo}/{r.Objective}: {r.BudgetRemaining:P1} of its budget left, under {r.Below:P0}"));
        return new BudgetDecisionView(decision.Service, verdict, decision.Policy, decision.ObjectivesConsidered, reason, decision.Reasons);
    }
}
