namespace NeoCloud.Access.Relay;

/// <summary>How often the background relays look for lifecycle transitions and job events not yet audited (<c>NeoCloud:Access:AuditRelay</c>).</summary>
public sealed class AuditRelayOptions
{
    public const string Section = "NeoCloud:Access:AuditRelay";

    public double IntervalSeconds { get; set; } = 1;
}
