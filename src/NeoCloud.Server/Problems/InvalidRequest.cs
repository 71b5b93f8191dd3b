using Microsoft.AspNetCore.Http.HttpResults;

namespace NeoCloud.Server.Problems;

/// <summary>Collects what is wrong with a request, field by field, and answers it as one 400 problem.</summary>
public sealed class InvalidRequest
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public ProblemHttpResult ToProblem() => Problem(
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));

    public static ProblemHttpResult Problem(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Type = ProblemTypes.InvalidRequest,
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")),
        });
}
