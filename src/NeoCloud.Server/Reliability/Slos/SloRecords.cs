using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>SLO and error-budget policy manifests declared through the API, as records of the Reliability store.</summary>
internal static class SloRecords
{
    public const string SloPrefix = "SLO/";
    public const string PolicyPrefix = "ErrorBudgetPolicy/";

    public static string SloId(string name) => SloPrefix + name;

    public static StoredRecord New(string id, string label, string manifest, DateTimeOffset now) =>
        new(ReliabilityRecordKinds.Manifest, id, 1, string.Empty, label, now, now, manifest);
}
