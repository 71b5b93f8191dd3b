namespace NeoCloud.Server.Reliability;

/// <summary>The host's reliability loop (<c>NeoCloud:Reliability</c>): how often it steps, where it notifies, whom it pages.</summary>
public sealed class ReliabilityOptions
{
    public const string Section = "NeoCloud:Reliability";

    /// <summary>How often the loop gathers alerts and steps the engine, on the host's clock.</summary>
    public TimeSpan StepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Alertmanager-format webhooks every notification goes to; none by default.</summary>
    public IList<WebhookReceiverOptions> Webhooks { get; } = [];

    /// <summary>A <c>kind: OnCallSchedule</c> YAML file; without one, sev1/sev2 incidents page the host's pager.</summary>
    public string? OnCallSchedulePath { get; set; }

    /// <summary>The URL receivers are told the notifications come from (Alertmanager's <c>externalURL</c>).</summary>
    public string ExternalUrl { get; set; } = "";
}
