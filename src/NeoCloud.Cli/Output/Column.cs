namespace NeoCloud.Cli.Output;

/// <summary>One column of a table: its header and the JSON property it shows.</summary>
internal sealed record Column(string Header, string Property);
