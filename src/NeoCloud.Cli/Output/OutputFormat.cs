namespace NeoCloud.Cli.Output;

/// <summary>How results are printed: <c>-o table|json|yaml</c>.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
