using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage.Tests.Workloads;

/// <summary>The in-memory fake other contexts test with passes the same suite, so what they learn from it holds in production.</summary>
public sealed class InMemoryWorkloadStoreTests : WorkloadStoreCompliance
{
    private readonly InMemoryWorkloadStore _store = new();

    protected override Task<IWorkloadStore> OpenStoreAsync() => Task.FromResult<IWorkloadStore>(_store);

    protected override Task BreakEventLogAsync()
    {
        _store.BreakEventLog = true;
        return Task.CompletedTask;
    }
}
