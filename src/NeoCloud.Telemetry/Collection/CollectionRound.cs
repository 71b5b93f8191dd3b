namespace NeoCloud.Telemetry.Collection;

/// <summary>What one pass over every telemetry target did.</summary>
public sealed record CollectionRound(int Targets, int Scraped, int Failed, long Samples, TimeSpan Took);
