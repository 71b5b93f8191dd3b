namespace NeoCloud.Cli.Api;

/// <summary>The API answered with an error; carries its status and problem details.</summary>
internal sealed class ApiProblemException(int status, Problem? problem, string fallback)
    : Exception(problem?.Detail ?? problem?.Title ?? fallback)
{
    public int Status { get; } = status;

    public Problem? Problem { get; } = problem;

    /// <summary>One line for stderr: what went wrong, the field errors if any, and the problem type's last segment.</summary>
    public string OneLine()
    {
        string text = Message.TrimEnd('.');
        if (Problem?.Errors is { Count: > 0 } errors && Problem.Detail is null)
        {
            text += ": " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        }

        string kind = Problem?.Type is { } type ? type[(type.LastIndexOf('/') + 1)..] : "error";
        return $"error: {text} ({Status} {kind})";
    }
}
