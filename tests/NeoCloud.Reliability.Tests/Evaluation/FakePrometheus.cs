using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NeoCloud.Reliability.Tests.Evaluation;

/// <summary>
/// A Prometheus HTTP API on loopback (HttpListener) that answers <c>/api/v1/query</c> as Prometheus does: a vector of one
/// sample per known query, <c>status: error</c> with HTTP 400 for a query it was told is bad, an empty vector otherwise.
/// </summary>
internal sealed class FakePrometheus : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakePrometheus()
    {
        // Take a free port from the OS, then listen on it (HttpListener cannot be given port 0).
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/prom/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Query text → the sample value, as Prometheus writes it ("1.5", "NaN", "+Inf").</summary>
    public ConcurrentDictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Query text → a (status code, raw body) answer, for errors and odd answers.</summary>
    public ConcurrentDictionary<string, (HttpStatusCode Code, string Body)> Raw { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Query, string Time)> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string query = context.Request.QueryString["query"] ?? "";
            string time = context.Request.QueryString["time"] ?? "";
            Requests.Enqueue((query, time));
            var (code, body) = Answer(context.Request.Url!.AbsolutePath, query, time);
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = (int)code;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (HttpStatusCode, string) Answer(string path, string query, string time)
    {
        if (!path.EndsWith("/api/v1/query", StringComparison.Ordinal))
        {
            return (HttpStatusCode.NotFound, "404 page not found\n");
        }

        if (Raw.TryGetValue(query, out var raw))
        {
            return raw;
        }

        if (Values.TryGetValue(query, out var value))
        {
            return (HttpStatusCode.OK, $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[{{{time}}},"{{{value}}}"]}]}}""");
        }

        return (HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[]}}""");
    }
}
