using NeoCloud.Reliability.Store;

namespace NeoCloud.Storage.Relational;

/// <summary>A Reliability record as stored; instants come back as the backend's own type and go through <see cref="Database.FromDb"/>.</summary>
internal sealed class RecordRow
{
    public const string Columns =
        "kind as Kind, id as Id, version as Version, status as Status, label as Label, created_at as CreatedAt, updated_at as UpdatedAt, body as Body";

    public string Kind { get; set; } = "";
    public string Id { get; set; } = "";
    public long Version { get; set; }
    public string Status { get; set; } = "";
    public string Label { get; set; } = "";
    public object CreatedAt { get; set; } = "";
    public object UpdatedAt { get; set; } = "";
    public string Body { get; set; } = "";

    public StoredRecord ToRecord(Database database) =>
        new(Kind, Id, Version, Status, Label, database.FromDb(CreatedAt), database.FromDb(UpdatedAt), Body);
}
