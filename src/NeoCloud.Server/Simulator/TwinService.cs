using Microsoft.Extensions.Options;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Simulator.Plugins;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.Simulation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Simulator;

/// <summary>Registers the twin as plugins, starts the plugin host, and runs the twin on virtual time paced to the wall clock.</summary>
internal sealed class TwinService(
    FleetTwin twin,
    PluginHost plugins,
    IOptions<TwinOptions> options,
    TimeProvider clock,
    ILogger<TwinService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.FaultScript is { Length: > 0 } path)
        {
            var script = FaultScriptReader.ReadFile(path);
            twin.Schedule(script);
            logger.LogInformation("Scheduled fault script {Script}: {Faults} faults", path, script.Faults.Count);
        }

        TwinPlugins.Register(plugins, twin);
        await plugins.StartAllAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await plugins.StopAllAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runner = new TwinRunner(twin, clock);
        logger.LogInformation("Twin of {Nodes} nodes running at {Speed}x", twin.Topology.Nodes.Count, options.Value.Speed);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // In slices of a virtual hour, so a health check of the plugins happens regularly.
                await runner.RunAsync(TimeSpan.FromHours(1), options.Value.Speed, stoppingToken);
                await plugins.CheckHealthAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
