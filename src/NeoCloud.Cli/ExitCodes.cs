namespace NeoCloud.Cli;

/// <summary>neoctl's exit codes, so scripts can tell kinds of failure apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad command line, configuration or request (HTTP 400).</summary>
    public const int Usage = 1;

    /// <summary>The resource does not exist (HTTP 404).</summary>
    public const int NotFound = 2;

    /// <summary>The change conflicts with the resource's state (HTTP 409: illegal transition, concurrent change).</summary>
    public const int Conflict = 3;

    /// <summary>No answer from the server: connection refused, DNS, timeout.</summary>
    public const int Unreachable = 4;

    /// <summary>The server answered with any other error (5xx, 401, 403).</summary>
    public const int ServerError = 5;

    public static int ForStatus(int status) => status switch
    {
        400 or 422 => Usage,
        404 => NotFound,
        409 => Conflict,
        _ => ServerError,
    };
}
