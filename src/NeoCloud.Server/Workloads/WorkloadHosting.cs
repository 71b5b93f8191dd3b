using Microsoft.Extensions.Options;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Metrics;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Server.Hosting;
using NeoCloud.Simulator.Execution;
using NeoCloud.Simulator.Plugins;
using NeoCloud.Simulator.Twin;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Placement;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Workloads;

/// <summary>
/// Wires the job flow into the host: the placer over the fleet's topology, the scheduler, the twin's executor (a
/// plugin), the controller and the loop that drives them.
/// </summary>
public static class WorkloadHosting
{
    public static WebApplicationBuilder AddWorkloads(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.CycleInterval > TimeSpan.Zero, $"{SchedulingOptions.Section}:CycleInterval must be positive.")
            .Validate(o => o.CapacityRefreshInterval > TimeSpan.Zero, $"{SchedulingOptions.Section}:CapacityRefreshInterval must be positive.")
            .Validate(o => o.UsageHalfLife >= TimeSpan.Zero, $"{SchedulingOptions.Section}:UsageHalfLife must not be negative.")
            .Validate(o => o.ScorerRefreshJobs >= 1, $"{SchedulingOptions.Section}:ScorerRefreshJobs must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<WorkloadMetrics>();
        services.AddSingleton(sp => new SchedulingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            var twin = sp.GetRequiredService<FleetTwin>();
            var placer = new TopologyGangPlacer(new ClusterTopology(FleetPlacementView.Nodes(sp.GetRequiredService<FleetSource>().Topology)));
            // Jobs run on the twin, so the job flow keeps the twin's (virtual) time: a two-hour job takes two twin hours.
            var scheduler = new ClusterScheduler(placer, new SchedulerOptions { Policy = o.Policy, UsageHalfLife = o.UsageHalfLife, FairSharePreemption = o.FairSharePreemption }, sp.GetRequiredService<SchedulingMetrics>());
            var executor = new TwinExecutor(twin);
            TwinPlugins.RegisterExecutor(sp.GetRequiredService<PluginHost>(), executor);
            var controller = new JobController(
                sp.GetRequiredService<IWorkloadStore>(), executor, scheduler, placer, twin.Clock,
                sp.GetRequiredService<WorkloadMetrics>(), sp.GetRequiredService<ILogger<JobController>>());
            return new WorkloadRuntime(placer, controller, executor);
        });
        if (builder.Configuration.GetValue($"{SchedulingOptions.Section}:Enabled", true))
        {
            services.AddHostedService<SchedulingService>();
        }

        return builder;
    }
}
