namespace NeoCloud.Server.Problems;

/// <summary>The stable <c>type</c> URIs of the API's RFC 7807 problem details, one per kind of error; clients branch on these, never on text.</summary>
public static class ProblemTypes
{
    private const string Base = "https://neocloud.dev/problems/";

    public const string NotFound = Base + "not-found";
    public const string IllegalTransition = Base + "illegal-transition";
    public const string Conflict = Base + "conflict";
    public const string InvalidRequest = Base + "invalid-request";
    public const string Internal = Base + "internal";
    public const string Unprocessable = Base + "unprocessable";

    /// <summary>The caller may not do this, whatever the state (approving a runbook step they started: the two-person rule).</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>A part of the host that is off or could not start (health detection and remediation without a store).</summary>
    public const string Unavailable = Base + "unavailable";

    /// <summary>The type for a status code when nothing more specific is known (routing 404s, framework 400s).</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidRequest,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        >= 500 => Internal,
        _ => "about:blank",
    };

    public static bool IsOurs(string? type) => type is not null && type.StartsWith(Base, StringComparison.Ordinal);
}
