namespace NeoCloud.Server.Workloads;

/// <summary>The body of a cancel: why, and who (kind:name); both optional.</summary>
public sealed record CancelRequest(string? Reason, string? Actor);
