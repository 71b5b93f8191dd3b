namespace NeoCloud.Fleet.Actuation;

/// <summary>DCGM diagnostic levels: r1 takes seconds, r2 about 2 minutes, r3 10–15 minutes, r4 over an hour (only r4 may catch silent data corruption).</summary>
public enum DiagnosticLevel
{
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
}
