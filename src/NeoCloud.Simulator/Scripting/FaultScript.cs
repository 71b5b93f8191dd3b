namespace NeoCloud.Simulator.Scripting;

/// <summary>A validated <c>kind: FaultScript</c>: faults to inject at offsets from the start of a run (chaos drills, tests, demos).</summary>
public sealed record FaultScript(string Name, IReadOnlyList<ScriptedFault> Faults);
