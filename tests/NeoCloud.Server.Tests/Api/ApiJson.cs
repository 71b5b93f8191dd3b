using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace NeoCloud.Server.Tests.Api;

/// <summary>Reads API answers as JSON trees, so tests see the wire format exactly as clients do.</summary>
internal static class ApiJson
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string url, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), body);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static IReadOnlyList<string> Strings(this JsonNode? array, string property) =>
        [.. array!.AsArray().Select(item => item![property]!.GetValue<string>())];
}
