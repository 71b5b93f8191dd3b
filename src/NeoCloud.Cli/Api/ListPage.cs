using System.Text.Json;

namespace NeoCloud.Cli.Api;

/// <summary>One page of any listing: items kept as JSON so every field the server sends reaches <c>-o json</c> and <c>-o yaml</c>.</summary>
internal sealed record ListPage(List<JsonElement> Items, string? NextCursor);
