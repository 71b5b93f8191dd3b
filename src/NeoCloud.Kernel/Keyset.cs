namespace NeoCloud.Kernel;

/// <summary>Keyset paging rules every listing shares, in every store: the page size bounds and what a cursor may be.</summary>
public static class Keyset
{
    /// <summary>The largest page a listing returns, whatever the caller asks for.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size actually used: at least 1, at most <see cref="MaxLimit"/>.</summary>
    public static int ClampLimit(int limit) => Math.Clamp(limit, 1, MaxLimit);

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    public static string? After(string? cursor, string parameterName)
    {
        if (!Cursor.TryDecode(cursor, out string? lastKey) || (cursor is { Length: > 0 } && string.IsNullOrEmpty(lastKey)))
        {
            throw new ArgumentException(
                $"'{cursor}' is not a cursor this listing gave out; pass the NextCursor of the previous page, or none for the first page.",
                parameterName);
        }

        return lastKey;
    }

    /// <summary>A page from up to limit + 1 rows read in key order: the extra row only says another page follows.</summary>
    public static Page<T> ToPage<T>(List<T> rowsPlusOne, int limit, Func<T, string> key)
    {
        if (rowsPlusOne.Count <= limit)
        {
            return new Page<T>(rowsPlusOne, null);
        }

        rowsPlusOne.RemoveRange(limit, rowsPlusOne.Count - limit);
        return new Page<T>(rowsPlusOne, Cursor.Encode(key(rowsPlusOne[^1])));
    }
}
