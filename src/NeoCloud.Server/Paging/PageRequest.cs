using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using NeoCloud.Kernel;
using NeoCloud.Server.Problems;

namespace NeoCloud.Server.Paging;

/// <summary>The <c>?limit=&amp;cursor=</c> of a listing, checked, and the <c>Link: rel="next"</c> header of its answer.</summary>
public sealed record PageRequest(int Limit, string? Cursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static PageRequest Parse(string? limit, string? cursor, InvalidRequest errors)
    {
        int value = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out value) || value < 1 || value > MaxLimit))
        {
            errors.Add("limit", $"'{limit}' is not a page size; use a whole number from 1 to {MaxLimit}.");
            value = DefaultLimit;
        }

        if (!Kernel.Cursor.TryDecode(cursor, out _))
        {
            errors.Add("cursor", "is not a cursor this API issued; pass the nextCursor of the previous page unchanged.");
        }

        return new PageRequest(value, string.IsNullOrEmpty(cursor) ? null : cursor);
    }

    /// <summary>
    /// The whole answer of a paged listing: a 400 problem if the filters or paging were invalid, else the page from
    /// <paramref name="list"/> with its <c>Link: rel="next"</c> header.
    /// </summary>
    public static async Task<Results<Ok<ListResponse<T>>, ProblemHttpResult>> RespondAsync<T>(
        HttpContext http, string? limit, string? cursor, InvalidRequest errors, Func<PageRequest, Task<Page<T>>> list)
    {
        var page = Parse(limit, cursor, errors);
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var result = await list(page);
        LinkNext(http, result.NextCursor);
        return TypedResults.Ok(new ListResponse<T>(result.Items, result.NextCursor));
    }

    /// <summary>Sets the RFC 8288 <c>Link</c> header to the same request with the next cursor, when there is a next page.</summary>
    public static void LinkNext(HttpContext http, string? nextCursor)
    {
        if (nextCursor is null)
        {
            return;
        }

        var query = http.Request.Query
            .Where(kv => !string.Equals(kv.Key, "cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", nextCursor));
        var request = http.Request;
        string url = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(query));
        http.Response.Headers.Append("Link", new StringValues($"<{url}>; rel=\"next\""));
    }
}
