using Microsoft.Extensions.DependencyInjection.Extensions;
using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Store;
using NeoCloud.Storage;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Hosting;

/// <summary>Registers the state-of-record stores (<c>IFleetStore</c>, <c>IAuditStore</c>, ...) the host resolves from DI.</summary>
public static class StoreWiring
{
    /// <summary>The configuration key of a PostgreSQL connection string; when set, it is the store instead of SQLite.</summary>
    public const string ConnectionStringKey = "NeoCloud:Storage:ConnectionString";

    /// <summary>
    /// Production stores: PostgreSQL when <see cref="ConnectionStringKey"/> is set, else the embedded SQLite database in the
    /// host's data directory. Migrations run when the stores are first resolved, at start-up. TryAdd, so stores given
    /// through <see cref="NeoCloudApp.Build"/>'s <c>configureServices</c> (tests) win.
    /// </summary>
    public static WebApplicationBuilder AddNeoCloudStores(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            string location = config[ConnectionStringKey] is { Length: > 0 } cs
                ? cs
                : Path.GetFullPath(config[$"{NeoCloudHostOptions.Section}:DataDir"] is { Length: > 0 } dir ? dir : "./.data");
            // Start-up is the one place a blocking wait is acceptable: nothing can be served before the schema is current.
            return StoreFactory.OpenAsync(location, CancellationToken.None).GetAwaiter().GetResult();
        });
        builder.Services.TryAddSingleton<IFleetStore>(sp => sp.GetRequiredService<NeoCloudStores>().Fleet);
        builder.Services.TryAddSingleton<IAuditStore>(sp => sp.GetRequiredService<NeoCloudStores>().Audit);
        builder.Services.TryAddSingleton<IWorkloadStore>(sp => sp.GetRequiredService<NeoCloudStores>().Workloads);
        builder.Services.TryAddSingleton<IHealthStore>(sp => sp.GetRequiredService<NeoCloudStores>().Health);
        builder.Services.TryAddSingleton<IReliabilityStore>(sp => sp.GetRequiredService<NeoCloudStores>().Reliability);
        return builder;
    }
}
