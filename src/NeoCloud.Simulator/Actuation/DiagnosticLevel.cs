namespace NeoCloud.Simulator.Actuation;

/// <summary>DCGM diagnostic run levels: deeper levels take longer and find more (FACTS: r1 seconds … r4 over an hour).</summary>
public enum DiagnosticLevel
{
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
}
