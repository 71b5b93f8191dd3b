using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Tests.Incidents;

/// <summary>
/// Field-by-field equality of incidents: the record's own equality compares its immutable collections by reference, and
/// DateTimeOffset's by instant only, while a restored incident must match in content, order and offset.
/// </summary>
internal static class IncidentAssert
{
    public static void Same(Incident expected, Incident actual)
    {
        var e = expected.ToSnapshot();
        var a = actual.ToSnapshot();
        Assert.Equal(e.Id, a.Id);
        Assert.Equal(e.Title, a.Title);
        Assert.Equal(e.Severity, a.Severity);
        Assert.Equal(e.Status, a.Status);
        Assert.Equal(e.LineOfBusiness, a.LineOfBusiness);
        Assert.True(e.Onset.EqualsExact(a.Onset), $"onset {a.Onset:O} is not {e.Onset:O}");
        Assert.Equal(e.Timeline.Count, a.Timeline.Count);
        for (int i = 0; i < e.Timeline.Count; i++)
        {
            Assert.Equal(e.Timeline[i], a.Timeline[i]);
            Assert.True(e.Timeline[i].At.EqualsExact(a.Timeline[i].At), $"event {i} at {a.Timeline[i].At:O} is not at {e.Timeline[i].At:O}");
        }

        Assert.Equal(e.ProbableRootCause, a.ProbableRootCause);
        Assert.Equal(e.CorrelationKeys, a.CorrelationKeys);
        Assert.Equal(e.AlertFingerprints, a.AlertFingerprints);
        Assert.Equal(e.AffectedTenants, a.AffectedTenants);
        Assert.Equal(e.AffectedSlos, a.AffectedSlos);
        Assert.Equal(e.AffectedNodes, a.AffectedNodes);
        Assert.Equal(e.FindingIds, a.FindingIds);
        Assert.Equal(e.RemediationRunIds, a.RemediationRunIds);
        // What is computed from the fields must follow too.
        Assert.Equal(expected.TimeToResolve, actual.TimeToResolve);
        Assert.Equal(expected.IsResolved, actual.IsResolved);
        Assert.Equal(PostIncidentSummary.Write(expected), PostIncidentSummary.Write(actual));
    }
}
