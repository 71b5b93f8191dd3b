namespace NeoCloud.Server.Simulator;

/// <summary>The digital twin inside <c>neocloud up</c> (<c>NeoCloud:Simulator</c>).</summary>
public sealed class TwinOptions
{
    public const string Section = "NeoCloud:Simulator";

    /// <summary>Run the twin of the fleet (the embedded default). Off when the host manages real hardware.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Virtual seconds per wall second: 60 makes a virtual hour pass in a wall minute.</summary>
    public double Speed { get; set; } = 60;

    public int Seed { get; set; } = 1;

    /// <summary>Multiplies every random fault rate (0 turns random faults off; fault scripts still run).</summary>
    public double FaultRateMultiplier { get; set; } = 1;

    /// <summary>A <c>kind: FaultScript</c> file scheduled when the twin starts.</summary>
    public string? FaultScript { get; set; }
}
