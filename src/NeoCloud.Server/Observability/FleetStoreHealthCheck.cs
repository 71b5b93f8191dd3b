using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeoCloud.Fleet.Store;

namespace NeoCloud.Server.Observability;

/// <summary>Readiness: the fleet store answers and a fleet has been imported.</summary>
internal sealed class FleetStoreHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetService<IFleetStore>();
            if (store is null)
            {
                return HealthCheckResult.Unhealthy("No fleet store is registered.");
            }

            return await store.HasFleetAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Fleet store reachable; fleet imported.")
                : HealthCheckResult.Unhealthy("Fleet store reachable, but no fleet is imported yet.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Fleet store unreachable.", ex);
        }
    }
}
