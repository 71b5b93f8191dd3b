using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Store;
using NeoCloud.Server.Hosting;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>The real NeoCloud host on a TestServer, over in-memory stores holding <see cref="TestFleet"/>.</summary>
public sealed class NeoCloudTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NeoCloudTestHost(WebApplication app, InMemoryFleetStore fleet, InMemoryAuditStore audit, InMemoryWorkloadStore workloads, InMemoryHealthStore health)
    {
        _app = app;
        Fleet = fleet;
        Audit = audit;
        Workloads = workloads;
        Health = health;
        Client = app.GetTestClient();
    }

    public InMemoryFleetStore Fleet { get; }
    public InMemoryAuditStore Audit { get; }
    public InMemoryWorkloadStore Workloads { get; }
    public InMemoryHealthStore Health { get; }
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A handler that sends requests straight into the test server, for clients such as neoctl.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <param name="importFleet">False leaves the store empty, so the host imports the built-in default fleet on start.</param>
    /// <param name="settings">Extra configuration (<c>NeoCloud:Health:DryRun</c>, scrape interval, twin speed, ...).</param>
    /// <param name="moreServices">Registers more services after the in-memory stores (a reliability store, a fake alert source).</param>
    public static async Task<NeoCloudTestHost> StartAsync(
        bool importFleet = true, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? moreServices = null)
    {
        var fleet = new InMemoryFleetStore();
        var topology = TestFleet.Generate();
        if (importFleet)
        {
            await fleet.ImportAsync(topology, CancellationToken.None);
        }

        var audit = new InMemoryAuditStore();
        var workloads = new InMemoryWorkloadStore();
        var health = new InMemoryHealthStore();
        var app = NeoCloudApp.Build(
            [],
            configureServices: registered =>
            {
                registered.AddSingleton<IFleetStore>(fleet);
                registered.AddSingleton<IAuditStore>(audit);
                registered.AddSingleton<IWorkloadStore>(workloads);
                registered.AddSingleton<IHealthStore>(health);
                if (importFleet)
                {
                    // The twin simulates the same small fleet the store holds.
                    registered.AddSingleton(new FleetSource(topology, "the test fleet"));
                }

                moreServices?.Invoke(registered);
            },
            configureBuilder: builder =>
            {
                builder.WebHost.UseTestServer();

                // A quiet twin: no random faults, so what tests see does not depend on how far the twin has run.
                builder.Configuration["NeoCloud:Simulator:FaultRateMultiplier"] = "0";
                foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                {
                    builder.Configuration[key] = value;
                }
            });

        await app.StartAsync();
        return new NeoCloudTestHost(app, fleet, audit, workloads, health);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
