namespace NeoCloud.Telemetry.Collection;

/// <summary>Settings of the collection loop (<c>NeoCloud:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Time between collection rounds, in seconds of the host's clock.</summary>
    public int ScrapeIntervalSeconds { get; set; } = 15;

    /// <summary>Turn the loop off (the API still serves what was collected).</summary>
    public bool Enabled { get; set; } = true;
}
