namespace NeoCloud.Server.Hosting;

/// <summary>Registers the state-of-record stores (<c>IFleetStore</c>, <c>IAuditStore</c>, ...) the host resolves from DI.</summary>
public static class StoreWiring
{
    /// <summary>
    /// The one place production stores are registered.
    /// </summary>
    /// <remarks>
    /// LEAD: register the embedded SQLite stores from NeoCloud.Storage here, e.g.
    /// <code>
    /// var dataDir = builder.Configuration[$"{NeoCloudHostOptions.Section}:DataDir"] ?? "./.data";
    /// builder.Services.TryAddSingleton&lt;IFleetStore&gt;(sp =&gt; new SqliteFleetStore(Path.Combine(dataDir, "neocloud.db"), ...));
    /// builder.Services.TryAddSingleton&lt;IAuditStore&gt;(sp =&gt; new SqliteAuditStore(...));
    /// </code>
    /// Use TryAdd so a store given through <see cref="NeoCloudApp.Build"/>'s <c>configureServices</c> (tests) wins either way.
    /// Until then <c>neocloud up</c> stops at start-up with a message naming this method.
    /// </remarks>
    public static WebApplicationBuilder AddNeoCloudStores(this WebApplicationBuilder builder)
    {
        return builder;
    }
}
