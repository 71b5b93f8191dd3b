namespace NeoCloud.Server.Reliability;

/// <summary>One webhook receiver: a name (the payload's <c>receiver</c> and the metrics' label) and where to POST.</summary>
public sealed class WebhookReceiverOptions
{
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";
}
