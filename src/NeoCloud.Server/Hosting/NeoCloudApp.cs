using NeoCloud.Server.Access;
using NeoCloud.Server.Dashboard;
using NeoCloud.Server.Fleet;
using NeoCloud.Server.Health;
using NeoCloud.Server.Observability;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Reliability.Runbooks;
using NeoCloud.Server.Reliability.Slos;
using NeoCloud.Server.Simulator;
using NeoCloud.Server.Telemetry;
using NeoCloud.Server.Workloads;

namespace NeoCloud.Server.Hosting;

/// <summary>Builds the all-in-one NeoCloud web application; <c>neocloud up</c> runs it, tests host it on a TestServer.</summary>
public static class NeoCloudApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Passed to <see cref="WebApplication.CreateBuilder(string[])"/>: <c>--urls</c>, <c>--NeoCloud:Host:DataDir</c>, ...</param>
    /// <param name="configureServices">Runs after every context registered its services: replace or add stores here.</param>
    /// <param name="configureBuilder">Runs first, on the bare builder: test servers, extra configuration.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        configureBuilder?.Invoke(builder);

        builder.AddNeoCloudHost();
        builder.AddNeoCloudObservability();
        builder.AddFleetApi();
        builder.AddAccessApi();
        builder.AddNeoCloudStores();
        builder.AddTwin();
        builder.AddWorkloads();
        builder.AddHealth();
        builder.AddReliability();
        builder.AddRunbooks();
        builder.AddSlos();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseNeoCloudHost();
        app.UseNeoCloudObservability();
        app.UseSliEvents();
        app.MapOperationalEndpoints();
        app.MapFleetApi();
        app.MapAuditApi();
        app.MapTelemetryApi();
        app.MapJobApi();
        app.MapQueueApi();
        app.MapHealth();
        app.MapReliability();
        app.MapRunbooks();
        app.MapSlos();
        app.MapDashboard();
        return app;
    }
}
