namespace NeoCloud.Server.Paging;

/// <summary>The envelope of every listing: the items and, when there are more, the cursor of the next page.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextCursor);
