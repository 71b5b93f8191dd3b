namespace NeoCloud.Reliability.Store;

/// <summary>The kinds of <see cref="StoredRecord"/> the Reliability context keeps.</summary>
public static class ReliabilityRecordKinds
{
    public const string Incident = "incident";
    public const string RunbookRun = "runbook-run";

    /// <summary>A declared manifest (<c>kind: SLO</c>, <c>kind: Runbook</c>, <c>kind: OnCallSchedule</c>), its YAML as the body.</summary>
    public const string Manifest = "manifest";
}
