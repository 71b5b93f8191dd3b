using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Sources;

/// <summary>
/// Something that knows which alerts exist (Health diagnoses, SLO burn rates, anomalies): the host's reliability loop asks
/// every source each step and hands the union to the <see cref="Operations.ReliabilityEngine"/>.
/// </summary>
public interface IAlertSource
{
    /// <summary>The alerts as they stand at <paramref name="now"/>: those firing, and recently ended ones with their end.</summary>
    IReadOnlyList<Alert> Alerts(DateTimeOffset now);
}
