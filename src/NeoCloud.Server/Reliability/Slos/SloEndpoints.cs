using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Server.Access;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Server.Workloads;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>The SLO API: declared SLOs with their budgets and burn rates, and the error-budget policy's decisions.</summary>
public static class SloEndpoints
{
    private const int MaxManifestBytes = 256 * 1024;

    public static WebApplication MapSlos(this WebApplication app)
    {
        var slos = app.MapGroup("/api/v1/slos").WithTags("SLOs");
        slos.MapGet("/", List).WithSummary("Every SLO with each objective's budget left, burn rates and firing alerts; service= and tenant= filter.");
        slos.MapGet("/policy", Policy).WithSummary("What the error-budget policy says about changes to a service (service=): allowed, needs-approval or frozen, and why.");
        slos.MapGet("/{name}", Get).WithSummary("One SLO: every objective's windows, budget, forecasts and firing alerts.");
        slos.MapPut("/", Put).WithSummary("Declare or replace one SLO from its kind: SLO manifest (YAML or JSON); 400 lists every error with line and column.");
        slos.MapPut("/{name}", PutNamed).WithSummary("The same, at the SLO's name (which must match metadata.name).");
        slos.MapDelete("/{name}", Delete).WithSummary("Withdraw an SLO declared through the API; its alerts end.");

        var policies = app.MapGroup("/api/v1/error-budget-policies").WithTags("SLOs");
        policies.MapGet("/", ListPolicies).WithSummary("The declared error-budget policies (the default applies to services none names).");
        policies.MapPut("/", PutPolicy).WithSummary("Declare or replace an error-budget policy from its kind: ErrorBudgetPolicy manifest; 400 lists every error.");
        return app;
    }

    private static Ok<ListResponse<SloView>> List(SloRuntime runtime, string? service, string? tenant) =>
        TypedResults.Ok(new ListResponse<SloView>(
            [.. runtime.Declared.Values
                .Where(d => string.IsNullOrWhiteSpace(service) || d.Spec.Service == service.Trim())
                .Where(d => string.IsNullOrWhiteSpace(tenant) || d.Spec.Tenant == tenant.Trim())
                .Select(d => SloView.Of(d, runtime.StatusesOf(d.Spec.Name)))],
            null));

    private static Results<Ok<SloView>, ProblemHttpResult> Get(string name, SloRuntime runtime) =>
        runtime.Declared.TryGetValue(name, out var declared)
            ? TypedResults.Ok(SloView.Of(declared, runtime.StatusesOf(name)))
            : NotFoundProblem.For("SLO", name);

    private static Ok<BudgetDecisionView> Policy(SloRuntime runtime, string? service)
    {
        if (string.IsNullOrWhiteSpace(service))
        {
            throw new ArgumentException("say which service: ?service=NAME", nameof(service));
        }

        return TypedResults.Ok(BudgetDecisionView.Of(runtime.Decide(service.Trim())));
    }

    private static Ok<ListResponse<PolicyView>> ListPolicies(SloRuntime runtime) =>
        TypedResults.Ok(new ListResponse<PolicyView>([.. runtime.Policies.Append(NeoCloud.Reliability.Budgets.ErrorBudgetPolicy.Default).Select(PolicyView.Of)], null));

    private static async Task<Results<Created<PolicyView>, Ok<PolicyView>>> PutPolicy(HttpRequest request, SloRuntime runtime, CancellationToken cancellationToken)
    {
        string manifest = await ManifestBody.ReadAsync(request, MaxManifestBytes, cancellationToken);
        var (policy, created) = await runtime.PutPolicyAsync(manifest, RequestActor.Of(null, request.HttpContext), cancellationToken);
        var view = PolicyView.Of(policy);
        return created ? TypedResults.Created($"/api/v1/error-budget-policies/{policy.Name}", view) : TypedResults.Ok(view);
    }

    private static Task<Results<Created<SloView>, Ok<SloView>>> Put(HttpRequest request, SloRuntime runtime, CancellationToken cancellationToken) =>
        PutAsync(null, request, runtime, cancellationToken);

    private static Task<Results<Created<SloView>, Ok<SloView>>> PutNamed(string name, HttpRequest request, SloRuntime runtime, CancellationToken cancellationToken) =>
        PutAsync(name, request, runtime, cancellationToken);

    private static async Task<Results<Created<SloView>, Ok<SloView>>> PutAsync(string? name, HttpRequest request, SloRuntime runtime, CancellationToken cancellationToken)
    {
        // An invalid manifest throws SloSpecException: a 400 listing every error, from the problem handler.
        string manifest = await ManifestBody.ReadAsync(request, MaxManifestBytes, cancellationToken);
        var (slo, created) = await runtime.PutAsync(manifest, name, RequestActor.Of(null, request.HttpContext), cancellationToken);
        var view = SloView.Of(slo, runtime.StatusesOf(slo.Spec.Name));
        return created ? TypedResults.Created($"/api/v1/slos/{slo.Spec.Name}", view) : TypedResults.Ok(view);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string name, HttpContext http, SloRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.DeleteAsync(name, RequestActor.Of(null, http), cancellationToken) ? TypedResults.NoContent() : NotFoundProblem.For("SLO", name);
        }
        catch (InvalidOperationException refused)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Type = ProblemTypes.Conflict,
                Title = "The SLO is not declared through the API.",
                Status = StatusCodes.Status409Conflict,
                Detail = refused.Message,
            });
        }
    }
}
