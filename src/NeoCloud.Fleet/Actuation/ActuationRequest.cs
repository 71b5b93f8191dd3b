namespace NeoCloud.Fleet.Actuation;

/// <summary>One action asked of an actuator: what, on which GPU or node id, why, and the diagnostic level where it applies.</summary>
public sealed record ActuationRequest(HardwareAction Action, string Target, string Reason, DiagnosticLevel? Level = null);
