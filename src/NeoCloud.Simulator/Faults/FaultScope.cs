namespace NeoCloud.Simulator.Faults;

/// <summary>What kind of component a fault's target id names.</summary>
public enum FaultScope
{
    Gpu,
    Node,
    Switch,
    Pdu,
    Port,
}
