using NeoCloud.Reliability.Slos;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>An SLO the region runs and where it was declared: <c>built-in</c>, a file path, or <c>api</c>.</summary>
public sealed record DeclaredSlo(SloSpec Spec, string Source);
