namespace NeoCloud.Kernel.Manifests;

/// <summary>One problem in a manifest (fleet file, plugin manifest, fault script): where (line, column, field path) and what.</summary>
public sealed record SpecError(int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Path}: {Message}";
}
