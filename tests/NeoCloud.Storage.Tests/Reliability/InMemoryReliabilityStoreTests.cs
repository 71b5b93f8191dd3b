using NeoCloud.Reliability.Store;

namespace NeoCloud.Storage.Tests.Reliability;

/// <summary>The in-memory store the simulation and the Reliability tests run on passes the same suite as the SQL stores.</summary>
public sealed class InMemoryReliabilityStoreTests : ReliabilityStoreCompliance
{
    protected override Task<IReliabilityStore> OpenStoreAsync() => Task.FromResult<IReliabilityStore>(new InMemoryReliabilityStore());
}
