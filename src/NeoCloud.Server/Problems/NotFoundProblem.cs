using Microsoft.AspNetCore.Http.HttpResults;

namespace NeoCloud.Server.Problems;

/// <summary>The 404 problem of a resource that does not exist.</summary>
public static class NotFoundProblem
{
    public static ProblemHttpResult For(string kind, string id) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = ProblemTypes.NotFound,
            Title = "Not found.",
            Status = StatusCodes.Status404NotFound,
            Detail = $"No {kind} '{id}'.",
        });
}
