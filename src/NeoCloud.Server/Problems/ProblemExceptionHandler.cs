using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Server.Json;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Problems;

/// <summary>Turns the domain's exceptions into RFC 7807 problem details with a stable type per kind of error.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails ToProblem(Exception exception)
    {
        switch (exception)
        {
            case KeyNotFoundException:
                return new ProblemDetails
                {
                    Type = ProblemTypes.NotFound,
                    Title = "Not found.",
                    Status = StatusCodes.Status404NotFound,
                    Detail = exception.Message,
                };
            case IllegalTransitionException illegal:
                var machine = illegal.SubjectId.Contains("/gpu", StringComparison.Ordinal) ? LifecycleMachine.Gpu : LifecycleMachine.Node;
                return new ProblemDetails
                {
                    Type = ProblemTypes.IllegalTransition,
                    Title = "The lifecycle state machine does not allow this transition.",
                    Status = StatusCodes.Status409Conflict,
                    Detail = illegal.Message,
                    Extensions =
                    {
                        ["subject"] = illegal.SubjectId,
                        ["from"] = WireNames.Of(illegal.From),
                        ["to"] = WireNames.Of(illegal.To),
                        ["allowed"] = machine.NextStates(illegal.From).Select(WireNames.Of).Order(StringComparer.Ordinal).ToArray(),
                    },
                };
            case SpecException spec:
                return new HttpValidationProblemDetails(spec.Errors
                    .GroupBy(e => e.Path.Length == 0 ? "manifest" : e.Path, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray(), StringComparer.Ordinal))
                {
                    Type = ProblemTypes.InvalidRequest,
                    Title = "The manifest is not valid.",
                    Status = StatusCodes.Status400BadRequest,
                    Detail = spec.Message,
                };
            case IdempotencyConflictException idempotency:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Conflict,
                    Title = "This idempotency key was already used with a different spec.",
                    Status = StatusCodes.Status409Conflict,
                    Detail = idempotency.Message,
                    Extensions = { ["existing"] = idempotency.Existing.Value },
                };
            case IllegalJobTransitionException job:
                return new ProblemDetails
                {
                    Type = ProblemTypes.IllegalTransition,
                    Title = "The job lifecycle does not allow this transition.",
                    Status = StatusCodes.Status409Conflict,
                    Detail = job.Message,
                    Extensions = { ["subject"] = job.Job.Value, ["from"] = JobMachine.Name(job.From), ["to"] = JobMachine.Name(job.To) },
                };
            case WorkloadRejectedException rejected:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Unprocessable,
                    Title = "The workload is valid but cannot be accepted here.",
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Detail = rejected.Message,
                };
            case ConcurrencyConflictException:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Conflict,
                    Title = "Someone else changed this resource at the same time; read it again and retry.",
                    Status = StatusCodes.Status409Conflict,
                    Detail = exception.Message,
                };
            case Health.HealthUnavailableException:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Unavailable,
                    Title = "Health detection and remediation are not running in this host.",
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Detail = exception.Message,
                };
            case Reliability.Runbooks.RunbookUnavailableException:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Unavailable,
                    Title = "Runbooks are not running in this host.",
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Detail = exception.Message,
                };
            case ArgumentException argument:
                return new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [argument.ParamName ?? "request"] = [StripParamSuffix(argument)],
                })
                {
                    Type = ProblemTypes.InvalidRequest,
                    Title = "The request is not valid.",
                    Status = StatusCodes.Status400BadRequest,
                    Detail = StripParamSuffix(argument),
                };
            case BadHttpRequestException badRequest:
                return new ProblemDetails
                {
                    Type = ProblemTypes.InvalidRequest,
                    Title = "The request is not valid.",
                    Status = badRequest.StatusCode,
                    Detail = badRequest.Message,
                };
            default:
                return new ProblemDetails
                {
                    Type = ProblemTypes.Internal,
                    Title = "An unexpected error occurred.",
                    Status = StatusCodes.Status500InternalServerError,
                };
        }
    }

    // ArgumentException appends " (Parameter 'x')" to its message; the field is already named in errors.
    private static string StripParamSuffix(ArgumentException exception)
    {
        string message = exception.Message;
        int at = exception.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
