using NeoCloud.Reliability.Export;

namespace NeoCloud.Reliability.Incidents;

/// <summary>The alert labels an incident reads: who is affected, what failed, and which Health records explain it.</summary>
public static class IncidentLabels
{
    /// <summary>The id of the Health diagnosis (<c>dgn-…</c>) that explains the alert; the strongest sign of one root cause.</summary>
    public const string Diagnosis = "neocloud_diagnosis";

    /// <summary>The id of the Health finding the alert was raised from.</summary>
    public const string Finding = "neocloud_finding";

    /// <summary><c>sev1</c>–<c>sev4</c>, or Prometheus' usual <c>critical</c>/<c>page</c>/<c>warning</c>/<c>ticket</c>/<c>info</c>.</summary>
    public const string Severity = "severity";

    public const string Tenant = RuleNames.TenantLabel;
    public const string Slo = RuleNames.SloLabel;
    public const string LineOfBusiness = RuleNames.LineOfBusinessLabel;
    public const string Node = "node";

    /// <summary>
    /// Failure domains, widest blast radius first; an alert is keyed by the first it carries. A switch usually spans racks
    /// and a PDU feeds part of a rack, so an alert carrying all three is keyed by its switch: that is what gathers 32
    /// nodes behind a dead switch into one incident. The node comes last, so that a GPU alert and the node alert that
    /// widens it are one incident, while alerts of two nodes that merely share a rack label but not a cause stay apart
    /// only when they carry no wider domain.
    /// </summary>
    public static IReadOnlyList<string> FailureDomainLabels { get; } = ["switch", "pdu", "rack", Node];
}
