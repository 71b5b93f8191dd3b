namespace NeoCloud.Reliability.Slos;

/// <summary>What an indicator measures: a ratio of event counts or a value held against a threshold.</summary>
public enum SliKind
{
    Ratio,
    Threshold,
}
