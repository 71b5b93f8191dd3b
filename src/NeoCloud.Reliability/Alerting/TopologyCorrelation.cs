namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// Presets that use the fleet's topology to turn a storm of alerts into the one that explains it: a node that is down
/// mutes its own GPU alerts, and alerts under one switch, rack or PDU share a group when routed by that label.
/// </summary>
public static class TopologyCorrelation
{
    /// <summary>The alertname of the node-down alert the Health context raises.</summary>
    public const string NodeDownAlert = "node-down";

    public const string NodeLabel = "node";

    public const string GpuLabel = "gpu";

    /// <summary>A firing <c>node-down</c> mutes every alert carrying a <c>gpu</c> label on the same node.</summary>
    public static InhibitRule NodeDownInhibitsGpuAlerts { get; } = new(
        [Matcher.Equal("alertname", NodeDownAlert)],
        [Matcher.NotEqual(GpuLabel, string.Empty)],
        [NodeLabel]);

    /// <summary>
    /// A route that gathers every alert under one failure domain (<c>switch</c>, <c>rack</c>, <c>pdu</c>) into one group,
    /// so a failing switch is one notification listing its nodes instead of one page per node. Only alerts carrying the
    /// label are taken; the rest fall through to the parent route.
    /// </summary>
    public static Route GroupByFailureDomain(string domainLabel, string receiver) => new(receiver)
    {
        Matchers = [Matcher.NotEqual(domainLabel, string.Empty)],
        GroupBy = [domainLabel],
    };
}
