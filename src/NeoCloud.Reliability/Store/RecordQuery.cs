namespace NeoCloud.Reliability.Store;

/// <summary>
/// A page of records of one kind, newest first (by CreatedAt, then Id), optionally only those with a status, a label,
/// or created at or after <see cref="Since"/>.
/// </summary>
public sealed record RecordQuery(
    string Kind,
    string? Status = null,
    string? Label = null,
    DateTimeOffset? Since = null,
    int Limit = 100,
    string? Cursor = null);
