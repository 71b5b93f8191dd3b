using NeoCloud.Storage.Migrations;
using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

/// <summary>What the migration runner must do on every backend.</summary>
public abstract class MigrationCompliance : StoreTest
{
    protected override bool OpenOnStart => false;

    [Fact]
    public async Task Opening_twice_applies_each_migration_once()
    {
        await using (var first = await Backend.OpenAsync())
        {
            Assert.Equal(MigrationCatalog.All.Select(m => m.ToString()), first.AppliedMigrations);
        }

        await using (var second = await Backend.OpenAsync())
        {
            Assert.Empty(second.AppliedMigrations);
        }

        Assert.Equal(MigrationCatalog.All.Count, await Backend.ScalarAsync("select count(*) from schema_migrations"));
        Assert.Equal(1, await Backend.ScalarAsync(
            "select count(*) from schema_migrations where context = 'fleet' and version = 1 and name = 'topology' and applied_at is not null"));
    }

    [Fact]
    public async Task Processes_starting_at_once_apply_each_migration_exactly_once()
    {
        var opens = Enumerable.Range(0, 4).Select(_ => Task.Run(Backend.OpenAsync)).ToList();
        var stores = await Task.WhenAll(opens);
        try
        {
            Assert.Equal(MigrationCatalog.All.Count, stores.Sum(s => s.AppliedMigrations.Count));
            Assert.Equal(MigrationCatalog.All.Count, await Backend.ScalarAsync("select count(*) from schema_migrations"));
            Assert.All(stores, s => Assert.NotNull(s.Fleet));
            Assert.False(await stores[0].Fleet.HasFleetAsync(default));
        }
        finally
        {
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_migrated_schema_holds_the_contexts_tables()
    {
        await using var stores = await Backend.OpenAsync();

        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {fleet}.nodes"));
        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {fleet}.transitions"));
        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {access}.audit_log"));
    }
}
