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

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[maxBytes + 1];
        int read = 0, n;
        while (read <= maxBytes && (n = await reader.ReadAsync(buffer.AsMemory(read, buffer.Length - read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read > maxBytes)
        {
            throw new ArgumentException($"the manifest is larger than {maxBytes} bytes", "body");
        }

        return read == 0 ? throw new ArgumentException("the request has no manifest in its body", "body") : new string(buffer, 0, read);
    }
}
