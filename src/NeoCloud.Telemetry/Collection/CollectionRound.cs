namespace NeoCloud.Telemetry.Collection;

/// <summary>What one pass over every telemetry target did: dcgm-exporter pages in the counts, port-counter pages (read only for page observers) apart.</summary>
public sealed record CollectionRound(int Targets, int Scraped, int Failed, long Samples, TimeSpan Took)
{
    /// <summary>InfiniBand port-counter pages scraped and parsed (their samples are in <see cref="Samples"/>).</summary>
    public int PortPages { get; init; }

    /// <summary>Port-counter pages that could not be scraped or parsed.</summary>
    public int PortFailures { get; init; }
}
