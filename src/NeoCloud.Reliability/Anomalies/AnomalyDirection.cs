namespace NeoCloud.Reliability.Anomalies;

/// <summary>Which side of its seasonal baseline an anomalous metric left by.</summary>
public enum AnomalyDirection
{
    Above,
    Below,
}
