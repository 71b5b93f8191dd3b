namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// The robust centre and spread of one season slot over the last seasons: the median, the MAD scaled by 1.4826 (so that
/// it estimates the standard deviation of normal data), and how many seasons and samples they were taken from.
/// </summary>
public readonly record struct BaselineReading(double Median, double Spread, int Seasons, int Samples);
