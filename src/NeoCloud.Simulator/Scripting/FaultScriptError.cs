namespace NeoCloud.Simulator.Scripting;

/// <summary>One problem in a fault script: where (line, column, field path) and what.</summary>
public sealed record FaultScriptError(int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Path}: {Message}";
}
