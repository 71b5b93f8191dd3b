using System.Globalization;
using System.Text;
using NeoCloud.Kernel;

namespace NeoCloud.Reliability.Store;

/// <summary>
/// What every <see cref="IReliabilityStore"/> accepts, and how its listings page: shared so that the in-memory store and
/// the SQL stores refuse the same input with the same message and give out cursors of one shape.
/// </summary>
public static class ReliabilityStoreRules
{
    /// <summary>The longest kind, id, status or label a record may have; they are keys and filters, not documents.</summary>
    public const int MaxKeyLength = 200;

    // Strict: a lone surrogate would be silently replaced on its way to the database, and a record must read back as written.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Refuses a record no store could keep as given, naming the record and the field.</summary>
    public static void Check(StoredRecord record, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(record, parameterName);
        string name = $"{record.Kind ?? "(no kind)"} '{record.Id ?? "(no id)"}'";
        Key(record.Kind, nameof(StoredRecord.Kind), name, parameterName, allowEmpty: false);
        Key(record.Id, nameof(StoredRecord.Id), name, parameterName, allowEmpty: false);
        Key(record.Status, nameof(StoredRecord.Status), name, parameterName, allowEmpty: true);
        Key(record.Label, nameof(StoredRecord.Label), name, parameterName, allowEmpty: true);
        Text(record.Body, nameof(StoredRecord.Body), name, parameterName);
        if (record.UpdatedAt < record.CreatedAt)
        {
            throw new ArgumentException(
                $"Record {name}: UpdatedAt {record.UpdatedAt:O} is before CreatedAt {record.CreatedAt:O}.", parameterName);
        }
    }

    /// <summary>Refuses a record that cannot be created: besides <see cref="Check"/>, a new record is at version 1.</summary>
    public static void CheckCreate(StoredRecord record, string parameterName)
    {
        Check(record, parameterName);
        if (record.Version != 1)
        {
            throw new ArgumentException(
                $"Record {record.Kind} '{record.Id}' is created at version {record.Version}; a new record is at version 1.", parameterName);
        }
    }

    /// <summary>Refuses a record that cannot be an update: besides <see cref="Check"/>, an update writes version 2 or later.</summary>
    public static void CheckUpdate(StoredRecord record, string parameterName)
    {
        Check(record, parameterName);
        if (record.Version < 2)
        {
            throw new ArgumentException(
                $"Record {record.Kind} '{record.Id}' is updated to version {record.Version}; an update writes version 2 or later.", parameterName);
        }
    }

    public static void CheckKey(string kind, string id)
    {
        Key(kind, "kind", $"{kind ?? "(no kind)"} '{id ?? "(no id)"}'", nameof(kind), allowEmpty: false);
        Key(id, "id", $"{kind} '{id ?? "(no id)"}'", nameof(id), allowEmpty: false);
    }

    public static void CheckQuery(RecordQuery query, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(query, parameterName);
        Key(query.Kind, nameof(RecordQuery.Kind), "query", parameterName, allowEmpty: false);
    }

    /// <summary>
    /// Instants as every store keeps them: UTC, to the microsecond (PostgreSQL's resolution), so that what a store returns
    /// from a write equals what it reads back later.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>The record with its instants as stored.</summary>
    public static StoredRecord Normalize(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { CreatedAt = Normalize(record.CreatedAt), UpdatedAt = Normalize(record.UpdatedAt) };
    }

    /// <summary>The cursor after <paramref name="record"/>: its (CreatedAt, Id), the key listings page on.</summary>
    public static string CursorAfter(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Cursor.Encode(Normalize(record.CreatedAt).UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + record.Id);
    }

    /// <summary>The (CreatedAt, Id) of the last record of the previous page, or null on the first page.</summary>
    public static (DateTimeOffset CreatedAt, string Id)? After(string? cursor, string parameterName)
    {
        string? key = Keyset.After(cursor, parameterName);
        if (key is null)
        {
            return null;
        }

        int bar = key.IndexOf('|', StringComparison.Ordinal);
        if (bar != 19 || key.Length == 20
            || !long.TryParse(key.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new ArgumentException(
                $"'{cursor}' is not a cursor this listing gave out; pass the NextCursor of the previous page, or none for the first page.",
                parameterName);
        }

        return (new DateTimeOffset(ticks, TimeSpan.Zero), key[(bar + 1)..]);
    }

    /// <summary>A page from up to limit + 1 records read newest first: the extra one only says another page follows.</summary>
    public static Page<StoredRecord> ToPage(List<StoredRecord> recordsPlusOne, int limit)
    {
        ArgumentNullException.ThrowIfNull(recordsPlusOne);
        if (recordsPlusOne.Count <= limit)
        {
            return new Page<StoredRecord>(recordsPlusOne, null);
        }

        recordsPlusOne.RemoveRange(limit, recordsPlusOne.Count - limit);
        return new Page<StoredRecord>(recordsPlusOne, CursorAfter(recordsPlusOne[^1]));
    }

    private static void Key(string? value, string field, string name, string parameterName, bool allowEmpty)
    {
        if (value is null || (!allowEmpty && string.IsNullOrWhiteSpace(value)))
        {
            throw new ArgumentException($"Record {name}: {field} is {(value is null ? "missing" : "blank")}.", parameterName);
        }

        if (value.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Record {name}: {field} is {value.Length} characters long; at most {MaxKeyLength} are kept.", parameterName);
        }

        Text(value, field, name, parameterName);
    }

    private static void Text(string? value, string field, string name, string parameterName)
    {
        if (value is null)
        {
            throw new ArgumentException($"Record {name}: {field} is missing.", parameterName);
        }

        int nul = value.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            // PostgreSQL's text cannot hold U+0000; refused everywhere so that no backend accepts what another would not.
            throw new ArgumentException($"Record {name}: {field} holds a NUL character at index {nul}.", parameterName);
        }

        try
        {
            _ = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Record {name}: {field} is not valid Unicode text (a lone surrogate at index {e.Index}).", parameterName, e);
        }
    }
}
