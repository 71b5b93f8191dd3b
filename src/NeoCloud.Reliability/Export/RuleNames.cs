namespace NeoCloud.Reliability.Export;

/// <summary>The names of the exported series and labels: Sloth's rule names, with <c>neocloud_</c> labels in place of <c>sloth_</c>.</summary>
public static class RuleNames
{
    public const string IdLabel = "neocloud_id";
    public const string ServiceLabel = "neocloud_service";
    public const string SloLabel = "neocloud_slo";
    public const string ObjectiveLabel = "neocloud_objective";
    public const string WindowLabel = "neocloud_window";
    public const string TenantLabel = "neocloud_tenant";
    public const string LineOfBusinessLabel = "neocloud_line_of_business";

    public const string Objective = "slo:objective:ratio";
    public const string ErrorBudget = "slo:error_budget:ratio";
    public const string TimePeriodDays = "slo:time_period:days";
    public const string CurrentBurnRate = "slo:current_burn_rate:ratio";
    public const string PeriodBurnRate = "slo:period_burn_rate:ratio";
    public const string PeriodErrorBudgetRemaining = "slo:period_error_budget_remaining:ratio";

    public const string PageAlert = "NeoCloudSloBudgetBurnPage";
    public const string TicketAlert = "NeoCloudSloBudgetBurnTicket";

    /// <summary><c>slo:sli_error:ratio_rate5m</c> and so on: the error ratio over one window.</summary>
    public static string ErrorRatio(string window) => "slo:sli_error:ratio_rate" + window;

    /// <summary>Events per second over one window, for the traffic guard (ours: Sloth has no guard).</summary>
    public static string TotalRate(string window) => "slo:sli_total:rate" + window;
}
