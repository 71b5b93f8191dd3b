using Microsoft.Extensions.Options;
using NeoCloud.Plugins;
using NeoCloud.Plugins.Manifest;
using NeoCloud.Server.Hosting;
using NeoCloud.Simulator.Twin;
using NeoCloud.Telemetry;

namespace NeoCloud.Server.Simulator;

/// <summary>Wires the all-in-one host's data plane: the plugin host, the twin behind it, and telemetry collection over it.</summary>
public static class TwinHosting
{
    public static WebApplicationBuilder AddTwin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TwinOptions>().BindConfiguration(TwinOptions.Section)
            .Validate(o => o.Speed > 0, $"{TwinOptions.Section}:Speed must be positive.")
            .Validate(o => o.FaultRateMultiplier >= 0, $"{TwinOptions.Section}:FaultRateMultiplier must not be negative.")
            .Validate(o => string.IsNullOrEmpty(o.FaultScript) || File.Exists(o.FaultScript), $"{TwinOptions.Section}:FaultScript must name an existing file.")
            .ValidateOnStart();

        // The all-in-one host runs the edge's plugins (collectors, local actuators) itself.
        services.AddPlugins(PluginTier.Edge);
        bool schedulingEnabled = builder.Configuration.GetValue($"{Workloads.SchedulingOptions.Section}:Enabled", true);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TwinOptions>>().Value;
            return new FleetTwin(sp.GetRequiredService<FleetSource>().Topology, o.Seed, new SimulationOptions
            {
                FaultRateMultiplier = o.FaultRateMultiplier,
                RandomFaults = o.FaultRateMultiplier > 0,
                // With the job flow on, the GPUs carry the jobs the scheduler places (through the twin's executor), not a synthetic load.
                SyntheticLoad = !schedulingEnabled,
                // A live host's twin starts at the wall-clock now, so its timestamps read as real ones.
                Start = DateTimeOffset.FromUnixTimeSeconds(sp.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds()),
            });
        });
        if (builder.Configuration.GetValue($"{TwinOptions.Section}:Enabled", true))
        {
            services.AddHostedService<TwinService>();
        }

        // After the twin: hosted services start in order, so the first collection round finds its plugins registered.
        services.AddTelemetry();

        return builder;
    }
}
