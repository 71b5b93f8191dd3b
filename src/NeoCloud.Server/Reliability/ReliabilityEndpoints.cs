using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Kernel.Audit;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Server.Json;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Server.Access;

namespace NeoCloud.Server.Reliability;

/// <summary>The Reliability context's REST API: incidents and their commands, firing alerts, silences.</summary>
public static class ReliabilityEndpoints
{
    public static WebApplication MapReliability(this WebApplication app)
    {
        var incidents = app.MapGroup("/api/v1/incidents").WithTags("Reliability");
        incidents.MapGet("/", List).WithSummary("Incidents, newest first, filtered by status, severity (sev1..sev4), lineOfBusiness and since; cursor-paged.");
        incidents.MapGet("/metrics", Metrics).WithSummary("MTTD/MTTA/MTTM/MTTR p50/p95 over all incidents, per severity and per line of business.");
        incidents.MapGet("/{id}", Get).WithSummary("One incident: timeline, linked findings and runs, its alerts.");
        incidents.MapGet("/{id}/summary", Summary).WithSummary("The post-incident summary, in Markdown.");
        incidents.MapPost("/{id}/ack", Acknowledge).WithSummary("A person takes the incident; body {note, actor}.");
        incidents.MapPost("/{id}/mitigate", Mitigate).WithSummary("The impact has stopped; body {note, actor}.");
        incidents.MapPost("/{id}/resolve", Resolve).WithSummary("The cause is fixed; body {note, rootCause, actor}, note required.");
        app.MapGet("/api/v1/alerts", Alerts).WithTags("Reliability").WithSummary("Alerts firing now (all=true adds recently ended ones), with their incident and whether muted.");
        var silences = app.MapGroup("/api/v1/silences").WithTags("Reliability");
        silences.MapGet("/", ListSilences).WithSummary("Every silence, active and expired.");
        silences.MapPost("/", CreateSilence).WithSummary("Mute alerts matching all matchers until endsAt (or for duration); comment required.");
        silences.MapDelete("/{id}", ExpireSilence).WithSummary("End a silence now; it stays listed as expired.");
        return app;
    }

    private static async Task<Results<Ok<ListResponse<Incident>>, ProblemHttpResult>> List(
        HttpContext http, ReliabilityRuntime runtime, string? status, string? severity, string? lineOfBusiness, string? since, string? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        IncidentStatus? wantedStatus = null;
        if (Text(status) is { } s)
        {
            if (WireNames.TryParse<IncidentStatus>(s, out var parsed))
            {
                wantedStatus = parsed;
            }
            else
            {
                errors.Add("status", $"'{s}' is not a status; use one of {string.Join(", ", WireNames.All<IncidentStatus>())}.");
            }
        }

        IncidentSeverity? wantedSeverity = null;
        if (Text(severity) is { } v)
        {
            if (WireNames.TryParse<IncidentSeverity>(v, out var parsed))
            {
                wantedSeverity = parsed;
            }
            else
            {
                errors.Add("severity", $"'{v}' is not a severity; use sev1, sev2, sev3 or sev4.");
            }
        }

        var from = QueryTime.ParseSince(since, errors);
        return await PageRequest.RespondAsync(http, limit, cursor, errors, page => runtime.ListAsync(
            wantedStatus, wantedSeverity, Text(lineOfBusiness), from, page.Limit, page.Cursor, cancellationToken));
    }

    private static async Task<Ok<IncidentMetricsView>> Metrics(ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(IncidentMetricsView.Of(await runtime.AllIncidentsAsync(cancellationToken)));

    private static async Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> Get(string id, ReliabilityRuntime runtime, CancellationToken cancellationToken)
    {
        if (await runtime.GetAsync(id, cancellationToken) is not { } incident)
        {
            return NotFoundProblem.For("incident", id);
        }

        var alerts = await runtime.AlertsAsync(null, includeEnded: true, cancellationToken);
        var mine = incident.AlertFingerprints.Select(f => f.ToString("x16", CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var known = alerts.Where(a => mine.Contains(a.Fingerprint)).ToList();
        var unknown = mine.Except(known.Select(a => a.Fingerprint), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new IncidentDetails(incident, known, unknown));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Summary(string id, ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        await runtime.GetAsync(id, cancellationToken) is { } incident
            ? TypedResults.Text(PostIncidentSummary.Write(incident), "text/markdown; charset=utf-8")
            : NotFoundProblem.For("incident", id);

    private static Task<Results<Ok<Incident>, ProblemHttpResult>> Acknowledge(
        string id, IncidentCommandRequest? body, HttpContext http, ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        CommandAsync(id, () => runtime.AcknowledgeAsync(id, RequestActor.Of(body?.Actor, http), Text(body?.Note), cancellationToken));

    private static Task<Results<Ok<Incident>, ProblemHttpResult>> Mitigate(
        string id, IncidentCommandRequest? body, HttpContext http, ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        CommandAsync(id, () => runtime.MitigateAsync(id, RequestActor.Of(body?.Actor, http), Text(body?.Note), cancellationToken));

    private static async Task<Results<Ok<Incident>, ProblemHttpResult>> Resolve(
        string id, IncidentCommandRequest? body, HttpContext http, ReliabilityRuntime runtime, CancellationToken cancellationToken)
    {
        if (Text(body?.Note) is null)
        {
            var errors = new InvalidRequest();
            errors.Add("note", "is required: every resolution says what fixed it.");
            return errors.ToProblem();
        }

        return await CommandAsync(id, () => runtime.ResolveAsync(id, RequestActor.Of(body!.Actor, http), Text(body.Note), Text(body.RootCause), cancellationToken));
    }

    private static async Task<Results<Ok<ListResponse<AlertView>>, ProblemHttpResult>> Alerts(string? all, ReliabilityRuntime runtime, CancellationToken cancellationToken)
    {
        bool includeEnded = false;
        if (Text(all) is { } text && !bool.TryParse(text, out includeEnded))
        {
            var errors = new InvalidRequest();
            errors.Add("all", $"'{text}' is not true or false.");
            return errors.ToProblem();
        }

        return TypedResults.Ok(new ListResponse<AlertView>(await runtime.AlertsAsync(null, includeEnded, cancellationToken), null));
    }

    private static async Task<Ok<ListResponse<Silence>>> ListSilences(ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<Silence>(await runtime.SilencesAsync(cancellationToken), null));

    private static async Task<Results<Created<Silence>, ProblemHttpResult>> CreateSilence(
        SilenceRequest? body, HttpContext http, ReliabilityRuntime runtime, CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        var matchers = new List<Matcher>();
        if (body?.Matchers is not { Count: > 0 })
        {
            errors.Add("matchers", "at least one matcher is required (name=\"value\", name!=\"value\", name=~\"regex\", name!~\"regex\").");
        }
        else
        {
            for (int i = 0; i < body.Matchers.Count; i++)
            {
                try
                {
                    matchers.Add(Matcher.Parse(body.Matchers[i] ?? ""));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    errors.Add($"matchers[{i}]", ex.Message);
                }
            }
        }

        if (Text(body?.Comment) is null)
        {
            errors.Add("comment", "is required: every silence says why alerts are muted.");
        }

        var starts = body?.StartsAt ?? runtime.Now;
        DateTimeOffset? ends = body?.EndsAt;
        if (Text(body?.Duration) is { } duration)
        {
            if (ends is not null)
            {
                errors.Add("duration", "give endsAt or duration, not both.");
            }
            else if (ParseDuration(duration) is { } span && span > TimeSpan.Zero)
            {
                ends = starts + span;
            }
            else
            {
                errors.Add("duration", $"'{duration}' is not a positive duration; use 30m, 2h, 1d or 1h30m.");
            }
        }

        if (ends is null && !errors.HasErrors && Text(body?.Duration) is null)
        {
            errors.Add("endsAt", "is required (or give duration): a silence without an end would mute forever.");
        }
        else if (ends is { } end && end <= starts)
        {
            errors.Add("endsAt", $"{end:O} is not after startsAt {starts:O}.");
        }

        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var actor = RequestActor.Of(body!.Actor, http);
        var silence = new Silence(Text(body.Id) ?? "sil-" + Guid.NewGuid().ToString("N")[..12], matchers, starts, ends!.Value)
        {
            CreatedBy = actor.ToString(),
            Comment = Text(body.Comment)!,
        };
        try
        {
            var created = await runtime.SilenceAsync(silence, actor, cancellationToken);
            return TypedResults.Created($"/api/v1/silences/{created.Id}", created);
        }
        catch (ArgumentException ex)
        {
            errors.Add("matchers", ex.Message);
            return errors.ToProblem();
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ExpireSilence(
        string id, HttpContext http, ReliabilityRuntime runtime, CancellationToken cancellationToken) =>
        await runtime.ExpireSilenceAsync(id, RequestActor.Of(null, http), cancellationToken) ? TypedResults.NoContent() : NotFoundProblem.For("silence", id);

    // 404 for an incident that does not exist, 409 for a step its lifecycle does not allow, with the incident's own reason.
    private static async Task<Results<Ok<Incident>, ProblemHttpResult>> CommandAsync(string id, Func<Task<Incident>> command)
    {
        try
        {
            return TypedResults.Ok(await command());
        }
        catch (KeyNotFoundException)
        {
            return NotFoundProblem.For("incident", id);
        }
        catch (IncidentTransitionException ex)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Type = ProblemTypes.IllegalTransition,
                Title = "The incident's lifecycle does not allow this.",
                Status = StatusCodes.Status409Conflict,
                Detail = ex.Message,
            });
        }
    }

    /// <summary><c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>, or a .NET TimeSpan (<c>01:30:00</c>).</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var plain) && text.Contains(':', StringComparison.Ordinal))
        {
            return plain;
        }

        var total = TimeSpan.Zero;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i == text.Length || !int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                return null;
            }

            double seconds = text[i++] switch
            {
                's' => n,
                'm' => n * 60.0,
                'h' => n * 3600.0,
                'd' => n * 86400.0,
                _ => double.NaN,
            };
            if (double.IsNaN(seconds) || total.TotalSeconds + seconds > TimeSpan.FromDays(3650).TotalSeconds)
            {
                return null;
            }

            total += TimeSpan.FromSeconds(seconds);
        }

        return text.Length == 0 ? null : total;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
