using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>Reads everything of one kind from a reliability store, for assertions.</summary>
internal static class StoredRecords
{
    public static IReadOnlyList<StoredRecord> All(this IReliabilityStore store, string kind)
    {
        var all = new List<StoredRecord>();
        string? cursor = null;
        do
        {
            var page = store.ListAsync(new RecordQuery(kind, Limit: 500, Cursor: cursor), CancellationToken.None).GetAwaiter().GetResult();
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }
}
