using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Tests.Incidents;

/// <summary>Alerts as the fleet raises them, with the labels the incident tracker reads.</summary>
internal static class IncidentScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static Alert NodeDown(int node, string @switch, string rack, int startMinute = 0, string severity = "page") =>
        Alert.Firing(
            At(startMinute),
            ("alertname", TopologyCorrelation.NodeDownAlert),
            ("node", $"n{node:D3}"),
            ("switch", @switch),
            ("rack", rack),
            ("severity", severity),
            (IncidentLabels.Tenant, node % 2 == 0 ? "acme" : "globex"),
            (IncidentLabels.LineOfBusiness, "training"));

    public static Incident Opened(int startMinute = 0, int openedMinute = 2) =>
        new IncidentTracker().Raise([NodeDown(1, "sw-1", "r-1", startMinute)], At(openedMinute));
}
