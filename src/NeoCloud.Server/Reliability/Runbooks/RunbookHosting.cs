using Microsoft.Extensions.Options;
using NeoCloud.Access.Audit;
using NeoCloud.Access.Relay;
using NeoCloud.Fleet.Commands;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Health;
using NeoCloud.Server.Observability;
using NeoCloud.Server.Workloads;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>
/// Wires runbooks into the host: the actions over fleet, jobs, actuator and pager, and the service that keeps the
/// catalog and advances runs. The runs live in whichever <see cref="IReliabilityStore"/> is registered; without one
/// the runbook API answers 503.
/// </summary>
public static class RunbookHosting
{
    public static WebApplicationBuilder AddRunbooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RunbookOptions>().BindConfiguration(RunbookOptions.Section).ValidateOnStart();
        services.AddSingleton<IRunbookActions>(sp => new RunbookHostActions(
            sp.GetRequiredService<IFleetStore>(),
            new NodeLifecycleService(new TransitionCountingFleetStore(sp.GetRequiredService<IFleetStore>(), sp.GetRequiredService<FleetMetrics>()), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<WorkloadRuntime>().Controller,
            sp.GetRequiredService<IWorkloadStore>(),
            sp.GetRequiredService<PluginActuator>(),
            sp.GetRequiredService<IPager>(),
            new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RunbookHostActions>>(),
            sp.GetService<IHealthStore>(),
            sp.GetService<LifecycleAuditRelay>()));
        services.AddSingleton(sp => new RunbookService(
            sp.GetRequiredService<IReliabilityStore>(),
            sp.GetRequiredService<IRunbookActions>(),
            new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RunbookOptions>>(),
            sp.GetRequiredService<ILogger<RunbookService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RunbookService>());
        return builder;
    }
}
