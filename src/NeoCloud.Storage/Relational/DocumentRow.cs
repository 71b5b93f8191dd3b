namespace NeoCloud.Storage.Relational;

/// <summary>A Health record as stored: its id and its JSON document.</summary>
internal sealed class DocumentRow
{
    public const string Columns = "id as Id, document as Document";

    public string Id { get; set; } = "";
    public string Document { get; set; } = "";
}
