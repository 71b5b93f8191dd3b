namespace NeoCloud.Fleet.Actuation;

/// <summary>The outcome of an action: whether it succeeded (for diagnostics: whether the hardware passed), how long it took, and what was seen.</summary>
public sealed record ActuationResult(bool Succeeded, TimeSpan Took, string Detail);
