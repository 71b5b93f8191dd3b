using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Api;

public sealed class TransitionApiTests : IAsyncLifetime
{
    private NeoCloudTestHost _host = null!;
    private string _node = "";

    public async Task InitializeAsync()
    {
        _host = await NeoCloudTestHost.StartAsync();
        _node = TestFleet.Generate().Nodes[2].Id.Value;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> Post(string path, object body) => _host.Client.PostAsJsonAsync(path, body);

    [Fact]
    public async Task A_node_walks_the_lifecycle_through_drain_quarantine_and_repair_back_to_service()
    {
        foreach (string to in new[] { "draining", "quarantined", "repair", "available" })
        {
            var response = await Post($"/api/v1/nodes/{_node}/transition", new { to, reason = $"step to {to}", actor = "automation:remediation" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(to, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }

        var details = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{_node}");
        var history = details.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()).ToList();
        Assert.Equal(["draining", "quarantined", "repair", "available"], history);
        Assert.Equal(4, _host.Audit.Records.Count(r => r.Target == _node && r.Actor.ToString() == "automation:remediation"));
    }

    [Fact]
    public async Task A_shortcut_the_state_machine_forbids_is_a_conflict_problem_and_changes_nothing()
    {
        var response = await Post($"/api/v1/nodes/{_node}/transition", new { to = "rma", reason = "skip the queue" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/illegal-transition", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var node = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{_node}");
        Assert.Equal("available", node.GetProperty("node").GetProperty("state").GetString());
        Assert.DoesNotContain(_host.Audit.Records, r => r.Target == _node);
    }

    [Theory]
    [InlineData("sideways", "not a lifecycle state")]
    [InlineData("", "is required")]
    public async Task An_unknown_or_missing_target_state_is_a_bad_request_naming_the_field(string to, string message)
    {
        var response = await Post($"/api/v1/nodes/{_node}/transition", new { to, reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("errors").GetProperty("to")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_gpu_is_quarantined_while_the_rest_of_its_node_stays_in_service()
    {
        var response = await Post($"/api/v1/gpus/{_node}/gpu3/transition", new { to = "quarantined", reason = "XID 79", actor = "automation:edge" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gpus = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/gpus?node={_node}");
        var states = gpus.GetProperty("items").EnumerateArray().ToDictionary(g => g.GetProperty("index").GetInt32(), g => g.GetProperty("state").GetString());
        Assert.Equal("quarantined", states[3]);
        Assert.All(states.Where(kv => kv.Key != 3), kv => Assert.Equal("available", kv.Value));
        var node = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{_node}");
        Assert.Equal("available", node.GetProperty("node").GetProperty("state").GetString());
        var record = Assert.Single(_host.Audit.Records, r => r.Target == $"{_node}/gpu3");
        Assert.Equal("gpu.transition.quarantined", record.Action);
        Assert.Equal("XID 79", record.Reason);
    }

    [Fact]
    public async Task Repeating_a_gpu_transition_is_harmless()
    {
        for (int i = 0; i < 2; i++)
        {
            var response = await Post($"/api/v1/gpus/{_node}/gpu1/transition", new { to = "quarantined", reason = "retry" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_host.Audit.Records, r => r.Target == $"{_node}/gpu1");
    }

    [Fact]
    public async Task An_unknown_gpu_is_a_not_found_problem()
    {
        var response = await Post($"/api/v1/gpus/{_node}/gpu99/transition", new { to = "quarantined", reason = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
