namespace NeoCloud.Reliability.Export;

/// <summary>One file the exporter produced: its path relative to the output folder and its text.</summary>
public sealed record ExportedFile(string RelativePath, string Content);
