namespace NeoCloud.Cli.Api;

/// <summary>The RFC 7807 problem details the API answers errors with.</summary>
internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);
