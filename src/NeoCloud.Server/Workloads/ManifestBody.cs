using System.Text;

namespace NeoCloud.Server.Workloads;

/// <summary>Reads a manifest request body (YAML or JSON) as text, refusing bodies over a size limit.</summary>
internal static class ManifestBody
{
    public static async Task<string> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new ArgumentException($"the manifest is larger than {maxBytes} bytes", "body");
        }

        // Read in small chunks and stop past the limit: a body without a Content-Length cannot make us buffer more.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = new StringBuilder();
        var chunk = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(chunk, cancellationToken)) > 0)
        {
            text.Append(chunk, 0, n);
            if (text.Length > maxBytes)
            {
                throw new ArgumentException($"the manifest is larger than {maxBytes} bytes", "body");
            }
        }

        return text.Length == 0 ? throw new ArgumentException("the request has no manifest in its body", "body") : text.ToString();
    }
}
