using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using NeoCloud.Server.Tests.Api;

namespace NeoCloud.Server.Tests.Workloads;

/// <summary>Sends manifests and job commands to the jobs and queues API, and waits on jobs the host's loop runs.</summary>
internal static class WorkloadApi
{
    /// <summary>How long a test waits for the host's loop (the twin runs at 60×: a minute of work is a second of wall time).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static string Job(
        string name, string tenant = "acme", string queue = "default", int gpus = 1, string work = "00:01:00", string? key = null,
        string priority = "normal", string extra = "") =>
        $$"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: { name: {{name}}, tenant: {{tenant}} }
        spec:
          queue: {{queue}}
          resources: { gpus: {{gpus}}, cpu: 4, memory: 16 }
          priorityClass: {{priority}}
          checkpointInterval: 30s
          run: { image: registry.example/train:1, env: { "twin.work": "{{work}}" } }
        {{(key is null ? "" : $"  idempotencyKey: {key}\n")}}{{extra}}
        """;

    public static async Task<HttpResponseMessage> SendYamlAsync(this HttpClient client, HttpMethod method, string url, string yaml, string? actor = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative))
        {
            Content = new StringContent(yaml, Encoding.UTF8, "application/yaml"),
        };
        if (actor is not null)
        {
            request.Headers.Add("X-NeoCloud-Actor", actor);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonNode> SubmitAsync(this HttpClient client, string yaml, HttpStatusCode expected = HttpStatusCode.Created, string? actor = null)
    {
        using var response = await client.SendYamlAsync(HttpMethod.Post, "/api/v1/jobs", yaml, actor);
        return await ApiJson.ReadAsync(response, expected);
    }

    public static async Task<JsonNode> ApplyQueuesAsync(this HttpClient client, string yaml, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.SendYamlAsync(HttpMethod.Put, "/api/v1/queues", yaml);
        return await ApiJson.ReadAsync(response, expected);
    }

    public static async Task<JsonNode> CancelAsync(this HttpClient client, string id, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/jobs/{id}/cancel", UriKind.Relative), body ?? new { });
        return await ApiJson.ReadAsync(response, HttpStatusCode.OK);
    }

    public static string Text(this JsonNode node, string property) => node[property]!.GetValue<string>();

    /// <summary>Polls the job until it is in <paramref name="state"/>; fails with its last state after <see cref="Patience"/>.</summary>
    public static async Task<JsonNode> WaitForStateAsync(this HttpClient client, string id, string state)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var job = await client.GetJsonAsync($"/api/v1/jobs/{id}");
            if (job.Text("state") == state)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} is still {job.Text("state")}, not {state}, after {Patience}");
            await Task.Delay(100);
        }
    }
}
