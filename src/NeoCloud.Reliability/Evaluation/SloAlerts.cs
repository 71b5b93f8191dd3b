using System.Globalization;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Export;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// Turns an evaluated SLO into the alerts its firing burn-rate windows raise, with the labels and names of the exported
/// Prometheus rules, so an alert from NeoCloud's own evaluator and one from Prometheus group and inhibit alike.
/// </summary>
public static class SloAlerts
{
    public const string SeverityLabel = "severity";
    public const string AlertNameLabel = "alertname";

    /// <summary>One alert per firing window, starting at the evaluation; none when nothing burns.</summary>
    public static IReadOnlyList<Alert> Of(SloStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Firing.Count == 0)
        {
            return [];
        }

        var alerts = new List<Alert>(status.Firing.Count);
        foreach (var window in status.Firing)
        {
            bool page = window.Severity == AlertSeverity.Page;
            string longWindow = PromDuration.Format(window.LongWindow);
            var labels = new List<KeyValuePair<string, string>>
            {
                new(AlertNameLabel, page ? RuleNames.PageAlert : RuleNames.TicketAlert),
                new(SeverityLabel, page ? "page" : "ticket"),
                new(RuleNames.SloLabel, status.Slo),
                new(RuleNames.ServiceLabel, status.Service),
                new(RuleNames.ObjectiveLabel, status.Objective),
                new(RuleNames.WindowLabel, longWindow),
            };
            if (status.Tenant is { } tenant)
            {
                labels.Add(new(RuleNames.TenantLabel, tenant));
            }

            if (status.LineOfBusiness is { } lob)
            {
                labels.Add(new(RuleNames.LineOfBusinessLabel, lob));
            }

            decimal factor = decimal.Round(window.FactorFor(status.Period), 6);
            string budgetLeft = (status.BudgetRemaining * 100).ToString("0.##", CultureInfo.InvariantCulture);
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"SLO {status.Service}/{status.Slo} ({status.Objective}) burns its error budget {Rate(status, window.LongWindow)}x over {longWindow}");
            string description = string.Create(CultureInfo.InvariantCulture,
                $"The error budget of {status.Service}/{status.Slo} ({status.Objective}, target {status.Target}) burns at {Rate(status, window.LongWindow)}x over {longWindow} and {Rate(status, window.ShortWindow)}x over {PromDuration.Format(window.ShortWindow)}, above {factor}x; {budgetLeft}% of the {PromDuration.Format(status.Period)} budget is left.");
            alerts.Add(new Alert(labels, status.EvaluatedAt, annotations: [new("summary", summary), new("description", description)]));
        }

        return alerts;
    }

    private static string Rate(SloStatus status, TimeSpan window)
    {
        double rate = status.Windows.FirstOrDefault(w => w.Window == window)?.BurnRate ?? double.NaN;
        return double.IsNaN(rate) ? "?" : rate.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
