namespace NeoCloud.Telemetry.Collection;

/// <summary>The rollup of one node's last dcgm-exporter scrape: when, how many samples, and each GPU's latest signals.</summary>
public sealed record NodeTelemetry(string Node, DateTimeOffset ScrapedAt, int Samples, IReadOnlyList<GpuSnapshot> Gpus)
{
    public double MeanUtilizationPercent => Gpus.Count == 0 ? 0 : Gpus.Average(g => g.UtilizationPercent);

    public double MaxTemperatureC => Gpus.Count == 0 ? 0 : Gpus.Max(g => g.TemperatureC);
}
