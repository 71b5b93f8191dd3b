namespace NeoCloud.Reliability.Budgets;

/// <summary>Who a burn-rate alert goes to: a person now (page) or a queue for working hours (ticket).</summary>
public enum AlertSeverity
{
    Page,
    Ticket,
}
