namespace NeoCloud.Access.Relay;

/// <summary>How often the background relay looks for lifecycle transitions not yet audited (<c>NeoCloud:Access:AuditRelay</c>).</summary>
public sealed class AuditRelayOptions
{
    public const string Section = "NeoCloud:Access:AuditRelay";

    public double IntervalSeconds { get; set; } = 1;
}
