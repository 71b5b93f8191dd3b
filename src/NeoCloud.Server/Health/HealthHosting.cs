using Microsoft.Extensions.Options;
using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Commands;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Metrics;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Server.Hosting;
using NeoCloud.Server.Observability;
using NeoCloud.Server.Workloads;
using NeoCloud.Simulator.Twin;
using NeoCloud.Telemetry.Collection;

namespace NeoCloud.Server.Health;

/// <summary>
/// Wires fault detection, diagnosis and self-healing into the host: a frame observer on the telemetry collector, the
/// pipeline over the fleet with its ports (fleet lifecycle, job controller, the plugin host's actuator, the pager), the
/// loop that runs it after every telemetry round, and the metrics.
/// </summary>
public static class HealthHosting
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton<HealthMetrics>();
        services.AddSingleton<LoggingPager>();
        services.AddSingleton<IPager>(sp => sp.GetRequiredService<LoggingPager>());
        services.AddSingleton(sp => new WorkloadMoverPort(sp.GetRequiredService<WorkloadRuntime>().Controller, sp.GetRequiredService<HealthMetrics>(), sp.GetRequiredService<FleetRemediationPort>()));
        services.AddSingleton(sp => new PluginActuator(sp.GetRequiredService<PluginHost>()));
        services.AddSingleton(sp =>
        {
            var fleet = sp.GetRequiredService<IFleetStore>();
            var lifecycle = new NodeLifecycleService(new TransitionCountingFleetStore(fleet, sp.GetRequiredService<FleetMetrics>()), sp.GetRequiredService<TimeProvider>());
            return new FleetRemediationPort(lifecycle, fleet, sp.GetRequiredService<WorkloadRuntime>().Controller);
        });

        // The health clock is the twin's, as the job flow's is: jobs and faults run in the twin's virtual time, so the
        // durations remediation waits (checkpoint grace, drain timeout) and the delays it records are in that time too.
        services.AddSingleton(sp => new FrameObserver(
            sp.GetRequiredService<FleetSource>().Topology, sp.GetRequiredService<FleetTwin>().Clock, sp.GetRequiredService<IOptions<HealthOptions>>().Value.RailsPerNode));
        if (builder.Configuration.GetValue($"{HealthOptions.Section}:Enabled", true))
        {
            services.AddSingleton<IPageObserver>(sp => sp.GetRequiredService<FrameObserver>());
        }

        services.AddSingleton(sp => new JobReportInbox(sp.GetRequiredService<FleetTwin>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HealthOptions>>().Value;
            var store = sp.GetService<IHealthStore>();
            var clock = sp.GetRequiredService<FleetTwin>().Clock;
            return new HealthRuntime(
                () => HealthRuntime.BuildPipeline(
                    sp.GetRequiredService<FleetSource>().Topology, options, store!, sp.GetRequiredService<FleetRemediationPort>(),
                    sp.GetRequiredService<WorkloadMoverPort>(), sp.GetRequiredService<PluginActuator>(), sp.GetRequiredService<IPager>(),
                    new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()), clock, sp.GetRequiredService<ILogger<RemediationEngine>>()),
                store, sp.GetRequiredService<WorkloadRuntime>().Controller, sp.GetRequiredService<WorkloadMoverPort>(), sp.GetRequiredService<LoggingPager>(),
                sp.GetRequiredService<HealthMetrics>(), clock, sp.GetRequiredService<ILogger<HealthRuntime>>(), sp.GetRequiredService<JobReportInbox>());
        });
        services.AddHostedService<HealthService>();
        return builder;
    }
}
