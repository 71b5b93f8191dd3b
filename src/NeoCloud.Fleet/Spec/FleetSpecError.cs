namespace NeoCloud.Fleet.Spec;

/// <summary>One problem in a fleet file: where (line, column, field path) and what.</summary>
public sealed record FleetSpecError(int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Path}: {Message}";
}
