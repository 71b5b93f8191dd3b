using NeoCloud.Simulator.Faults;

namespace NeoCloud.Simulator.Scripting;

/// <summary>One entry of a fault script: the fault and its offset from the start of the run, with where it was written.</summary>
public sealed record ScriptedFault(TimeSpan At, FaultRequest Request, int Line, int Column, string Path);
