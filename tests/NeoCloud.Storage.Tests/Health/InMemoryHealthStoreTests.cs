using NeoCloud.Health.Store;

namespace NeoCloud.Storage.Tests.Health;

/// <summary>The in-memory store the simulation and other contexts' tests run on passes the same suite as the SQL stores.</summary>
public sealed class InMemoryHealthStoreTests : HealthStoreCompliance
{
    protected override Task<IHealthStore> OpenStoreAsync() => Task.FromResult<IHealthStore>(new InMemoryHealthStore());
}
