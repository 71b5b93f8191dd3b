namespace NeoCloud.Simulator.Twin;

/// <summary>InfiniBand logical port state, with the numeric values sysfs reports.</summary>
public enum PortState
{
    Down = 1,
    Init = 2,
    Armed = 3,
    Active = 4,
}
