namespace NeoCloud.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Fact]
    public void A_connection_string_chooses_postgres()
    {
        var options = StorageOptions.Parse("Host=db;Username=neocloud;Database=neocloud");

        Assert.Equal(StoreBackend.Postgres, options.Backend);
    }

    [Fact]
    public void A_path_chooses_sqlite()
    {
        var options = StorageOptions.Parse("/var/lib/neocloud");

        Assert.Equal(new StorageOptions(StoreBackend.Sqlite, "/var/lib/neocloud"), options);
    }
}
