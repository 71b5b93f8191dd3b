using System.Net.Http.Json;
using System.Text.Json;

namespace NeoCloud.Cli.Api;

/// <summary>Talks to the NeoCloud REST API; the CLI's only way to the fleet.</summary>
internal sealed class NeoCloudClient(HttpClient http)
{
    private const int PageSize = 500;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Uri Server => http.BaseAddress!;

    /// <summary>Follows cursors until the listing ends or <paramref name="limit"/> items are in hand.</summary>
    public async Task<List<JsonElement>> ListAsync(string path, IEnumerable<KeyValuePair<string, string?>> filters, bool paged, int? limit, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var query = filters.Where(f => !string.IsNullOrEmpty(f.Value)).ToList();
            if (paged)
            {
                int size = limit is null ? PageSize : Math.Min(PageSize, limit.Value - items.Count);
                query.Add(new("limit", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (cursor is not null)
                {
                    query.Add(new("cursor", cursor));
                }
            }

            string url = query.Count == 0 ? path : path + "?" + string.Join("&", query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}"));
            var page = await SendAsync<ListPage>(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
            items.AddRange(page.Items);
            cursor = paged ? page.NextCursor : null;
        }
        while (cursor is not null && (limit is null || items.Count < limit));

        return limit is null || items.Count <= limit ? items : items[..limit.Value];
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>A document that is not JSON (a Markdown summary), as text; errors still come back as problems.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowUnlessSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    /// <summary>Deletes what <paramref name="path"/> names; the answer's body (often none: 204) is not read.</summary>
    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync<bool>(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken, readBody: false);

    /// <summary>Sends a manifest as it was written (YAML or JSON); the server parses and validates it.</summary>
    public Task<JsonElement> SendManifestAsync(HttpMethod method, string path, string text, CancellationToken cancellationToken)
    {
        string trimmed = text.TrimStart();
        string mediaType = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? "application/json" : "application/yaml";
        return SendAsync<JsonElement>(
            new HttpRequestMessage(method, path) { Content = new StringContent(text, System.Text.Encoding.UTF8, mediaType) }, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken, bool readBody = true)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            await ThrowUnlessSuccessAsync(response, cancellationToken);
            return readBody ? (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))! : default!;
        }
    }

    /// <summary>Turns an error answer into an <see cref="ApiProblemException"/> carrying its problem document.</summary>
    private static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        Problem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status line says enough.
        }

        throw new ApiProblemException((int)response.StatusCode, problem, $"{(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
