namespace NeoCloud.Server.Reliability;

/// <summary>
/// The body of <c>POST /api/v1/silences</c>: Alertmanager-style matchers (<c>node="n1"</c>, <c>alertname=~"gpu-.*"</c>),
/// when it starts (now by default) and ends (<c>endsAt</c>, or <c>duration</c> such as <c>2h</c>), and why.
/// </summary>
public sealed record SilenceRequest(
    IReadOnlyList<string>? Matchers,
    string? Comment,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null,
    string? Duration = null,
    string? Id = null,
    string? Actor = null);
