using NeoCloud.Fleet.Store;

namespace NeoCloud.Server.Hosting;

/// <summary>On start, imports the configured fleet (or the built-in default) into an empty store, so <c>neocloud up</c> has a fleet to show.</summary>
internal sealed class FleetImport(IServiceScopeFactory scopes, FleetSource fleet, ILogger<FleetImport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetService<IFleetStore>()
            ?? throw new InvalidOperationException(
                "No IFleetStore is registered. Register one in StoreWiring.AddNeoCloudStores (production) or through NeoCloudApp.Build's configureServices (tests).");
        if (await store.HasFleetAsync(cancellationToken))
        {
            logger.LogInformation("Fleet already imported; keeping it");
            return;
        }

        var topology = fleet.Topology;
        await store.ImportAsync(topology, cancellationToken);
        logger.LogInformation(
            "Imported fleet {Fleet} from {Source}: {Nodes} nodes, {Gpus} GPUs",
            topology.Name, fleet.Description, topology.Nodes.Count, topology.GpuCount);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
