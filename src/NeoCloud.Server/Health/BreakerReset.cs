namespace NeoCloud.Server.Health;

/// <summary>The answer to a breaker reset: the scope reset, by whom, and the breakers still open.</summary>
public sealed record BreakerReset(string Scope, string ResetBy, IReadOnlyList<string> StillOpen);
