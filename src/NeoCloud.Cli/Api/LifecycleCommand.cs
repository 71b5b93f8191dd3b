namespace NeoCloud.Cli.Api;

/// <summary>The body of a cordon or uncordon request.</summary>
internal sealed record LifecycleCommand(string Reason, string? Actor);
