using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Store;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Store;
using NeoCloud.Storage.Relational;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage;

/// <summary>The opened, migrated stores of one database; disposing it closes the database's connection pool.</summary>
public sealed class NeoCloudStores : IAsyncDisposable
{
    private readonly Database _database;

    internal NeoCloudStores(Database database, IFleetStore fleet, IAuditStore audit, IWorkloadStore workloads, IHealthStore health, IReliabilityStore reliability, IReadOnlyList<string> appliedMigrations)
    {
        _database = database;
        Fleet = fleet;
        Audit = audit;
        Workloads = workloads;
        Health = health;
        Reliability = reliability;
        AppliedMigrations = appliedMigrations;
    }

    public StoreBackend Backend => _database.Backend;

    public IFleetStore Fleet { get; }

    public IAuditStore Audit { get; }

    public IWorkloadStore Workloads { get; }

    public IHealthStore Health { get; }

    /// <summary>Incidents, runbook runs and declared manifests.</summary>
    public IReliabilityStore Reliability { get; }

    /// <summary>The migrations this opening applied (<c>context/version_name</c>); empty when the schema was already current.</summary>
    public IReadOnlyList<string> AppliedMigrations { get; }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
