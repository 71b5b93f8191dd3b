using System.Globalization;
using System.Text;

namespace NeoCloud.Reliability.Incidents;

/// <summary>Writes the post-incident summary of one incident as Markdown: what happened when, who was hit, why, and how long each phase took.</summary>
public static class PostIncidentSummary
{
    public static string Write(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {incident.Id}: {incident.Title}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Severity: {Incident.Name(incident.Severity)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Status: {incident.Status.ToString().ToLowerInvariant()}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Line of business: {incident.LineOfBusiness}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Onset: {Time(incident.Onset)}\n\n");

        text.Append("## Timeline\n\n| Time (UTC) | Event | Actor | Note |\n|---|---|---|---|\n");
        foreach (var e in incident.Timeline)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Time(e.At)} | {Kind(e.Kind)} | {Cell(e.Actor)} | {Cell(e.Note)} |\n");
        }

        text.Append("\n## Impact\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Tenants: {List(incident.AffectedTenants)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- SLOs: {List(incident.AffectedSlos)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Nodes: {List(incident.AffectedNodes)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Alerts: {incident.AlertFingerprints.Count}\n\n");

        text.Append("## Root cause\n\n");
        text.Append(incident.ProbableRootCause.Length > 0 ? incident.ProbableRootCause : "not determined").Append("\n\n");

        text.Append("## Linked\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Health findings: {List(incident.FindingIds)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Remediation runs: {List(incident.RemediationRunIds)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Alert fingerprints: {List(incident.AlertFingerprints.Select(f => f.ToString("x16", CultureInfo.InvariantCulture)))}\n\n");

        text.Append("## Durations\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- Time to detect (onset → opened): {Duration(incident.TimeToDetect)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Time to acknowledge (opened → acknowledged): {Duration(incident.TimeToAcknowledge)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Time to mitigate (onset → mitigated): {Duration(incident.TimeToMitigate)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Time to resolve (onset → resolved): {Duration(incident.TimeToResolve)}\n");
        return text.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Kind(IncidentEventKind kind) => kind switch
    {
        IncidentEventKind.AlertsJoined => "alerts joined",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A note may hold a pipe or a newline; either would break the Markdown table.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string List(IEnumerable<string> items)
    {
        string joined = string.Join(", ", items);
        return joined.Length == 0 ? "none" : joined;
    }

    private static string Duration(TimeSpan? duration) => duration is not { } d
        ? "not reached"
        : d.TotalHours >= 1
            ? $"{(int)d.TotalHours}h {d.Minutes:D2}m {d.Seconds:D2}s"
            : d.TotalMinutes >= 1 ? $"{d.Minutes}m {d.Seconds:D2}s" : $"{d.Seconds}s";
}
