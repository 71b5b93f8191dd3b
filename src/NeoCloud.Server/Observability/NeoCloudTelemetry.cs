using System.Diagnostics;

namespace NeoCloud.Server.Observability;

/// <summary>The host's trace source: spans for commands that change the fleet.</summary>
public static class NeoCloudTelemetry
{
    public const string SourceName = "NeoCloud";

    public static ActivitySource Source { get; } = new(SourceName);
}
