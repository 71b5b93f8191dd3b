using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Reliability.Operations;

/// <summary>
/// The routing and inhibition a region starts with: Alertmanager's timings, one group per root cause, failure domains
/// gathered, a node that is down muting its own GPU and port alerts, and an SLO's page muting its ticket.
/// </summary>
public static class ReliabilityDefaults
{
    /// <summary>The receiver every default route sends to; the host maps it to its webhooks and on-call schedule.</summary>
    public const string Receiver = "default";

    /// <summary>
    /// Groups by alert name and by whatever identifies the root cause (diagnosis, SLO, switch, PDU), so one diagnosis is
    /// one notification; switch and PDU alerts are gathered per failure domain.
    /// </summary>
    public static Route Route(string receiver = Receiver) => new(receiver)
    {
        GroupBy = ["alertname", IncidentLabels.Diagnosis, IncidentLabels.Slo],
        Routes =
        [
            TopologyCorrelation.GroupByFailureDomain(HealthAlertNames.SwitchLabel, receiver),
            TopologyCorrelation.GroupByFailureDomain(HealthAlertNames.PduLabel, receiver),
        ],
    };

    public static IReadOnlyList<InhibitRule> InhibitRules { get; } =
    [
        TopologyCorrelation.NodeDownInhibitsGpuAlerts,
        new([Matcher.Equal("alertname", HealthAlertNames.NodeDown)], [Matcher.Equal("alertname", HealthAlertNames.PortFault)], [IncidentLabels.Node]),
        new([Matcher.Equal("alertname", RuleNames.PageAlert)], [Matcher.Equal("alertname", RuleNames.TicketAlert)], [IncidentLabels.Slo, RuleNames.ObjectiveLabel]),
    ];

    /// <summary>A pipeline, tracker and engine with the defaults above.</summary>
    public static ReliabilityEngine Engine(ReliabilityEngineOptions? options = null) =>
        new(new AlertPipeline(Route(), InhibitRules), new IncidentTracker(), options);
}
