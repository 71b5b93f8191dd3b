namespace NeoCloud.Reliability.Runbooks;

/// <summary>Why a run exists: started by hand, or by a firing alert (its fingerprint, in hex, and alertname).</summary>
public sealed record RunbookRunTrigger(string Kind, string? AlertName = null, string? AlertFingerprint = null)
{
    public const string ManualKind = "manual";
    public const string AlertKind = "alert";

    public static RunbookRunTrigger Manual { get; } = new(ManualKind);

    public static RunbookRunTrigger ForAlert(string alertName, ulong fingerprint) => new(AlertKind, alertName, fingerprint.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
}
