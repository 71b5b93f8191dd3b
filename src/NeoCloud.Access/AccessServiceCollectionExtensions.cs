using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeoCloud.Access.Audit;
using NeoCloud.Access.Relay;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access;

/// <summary>Registers the Access context: the audit trail port and the relays that audit Fleet's lifecycle transitions and job state changes.</summary>
public static class AccessServiceCollectionExtensions
{
    /// <remarks>Needs an <see cref="IAuditStore"/>, a Fleet store and a Workloads store registered by the host.</remarks>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddOptions<AuditRelayOptions>().BindConfiguration(AuditRelayOptions.Section)
            .Validate(o => o.IntervalSeconds is >= 0.01 and <= 3600, $"{AuditRelayOptions.Section}:IntervalSeconds must be between 0.01 and 3600.")
            .ValidateOnStart();
        services.TryAddScoped<IAuditTrail>(sp => new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()));
        services.TryAddSingleton<LifecycleAuditRelay>();
        services.AddHostedService<AuditRelayService<LifecycleAuditRelay, Fleet.Store.RecordedTransition>>();
        services.TryAddSingleton<JobAuditRelay>();
        services.AddHostedService<AuditRelayService<JobAuditRelay, Workloads.Jobs.JobEvent>>();
        return services;
    }
}
