using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Storage.Tests.Health;

/// <summary>
/// Structural equality of Health records: a record's Equals compares its lists by reference, so lists are compared
/// element by element and the rest of the record with the lists swapped for one shared empty list.
/// </summary>
internal static class HealthAssert
{
    private static readonly IReadOnlyList<string> NoStrings = [];
    private static readonly IReadOnlyList<Evidence> NoEvidence = [];
    private static readonly IReadOnlyList<Finding> NoFindings = [];
    private static readonly IReadOnlyList<RemediationAction> NoActions = [];
    private static readonly IReadOnlyList<RemediationEvent> NoEvents = [];

    public static void Same(Finding expected, Finding actual)
    {
        Assert.Equal(expected.Evidence, actual.Evidence);
        Assert.Equal(expected with { Evidence = NoEvidence }, actual with { Evidence = NoEvidence });
    }

    public static void Same(Diagnosis expected, Diagnosis actual)
    {
        Assert.Equal(expected.Nodes, actual.Nodes);
        Assert.Equal(expected.Gpus, actual.Gpus);
        Assert.Equal(expected.Supersedes, actual.Supersedes);
        Assert.Equal(expected.Findings.Count, actual.Findings.Count);
        for (int i = 0; i < expected.Findings.Count; i++)
        {
            Same(expected.Findings[i], actual.Findings[i]);
        }

        Assert.Equal(
            expected with { Nodes = NoStrings, Gpus = NoStrings, Findings = NoFindings, Supersedes = NoStrings },
            actual with { Nodes = NoStrings, Gpus = NoStrings, Findings = NoFindings, Supersedes = NoStrings });
    }

    public static void Same(RemediationRun expected, RemediationRun actual)
    {
        Assert.Equal(expected.Nodes, actual.Nodes);
        Assert.Equal(expected.Gpus, actual.Gpus);
        Assert.Equal(expected.Ladder, actual.Ladder);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(
            expected with { Nodes = NoStrings, Gpus = NoStrings, Ladder = NoActions, History = NoEvents },
            actual with { Nodes = NoStrings, Gpus = NoStrings, Ladder = NoActions, History = NoEvents });
    }
}
