using System.Net;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Api;

public sealed class LifecycleCommandTests
{
    private const string NodeId = "euw1-dc1-r01-n01";

    [Fact]
    public async Task Cordon_moves_the_node_to_cordoned_and_audits_who_and_why()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var node = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "xid 79 storm", actor = "person:alice" });

        Assert.Equal("cordoned", node["state"]!.GetValue<string>());
        var record = Assert.Single(host.Audit.Records);
        Assert.Equal(Actor.Person("alice"), record.Actor);
        Assert.Equal("xid 79 storm", record.Reason);
        Assert.Equal("node.cordon", record.Action);
        Assert.Equal(NodeId, record.Target);
        var audit = await host.Client.GetJsonAsync($"/api/v1/audit?target={NodeId}");
        Assert.Equal("person:alice", audit["items"]![0]!["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_transition_committed_without_a_command_to_relay_it_is_audited_by_the_background_relay()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var node = (await host.Fleet.GetNodeAsync(new NodeId(NodeId), default))!;

        // As if the process died after the store committed and before the command relayed it.
        await host.Fleet.ApplyNodeTransitionAsync(
            node.Id, node.Version, new LifecycleTransition(NodeId, LifecycleState.Available, LifecycleState.Cordoned, "person:alice", "crash test", DateTimeOffset.UtcNow), default);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.Audit.Records.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var record = Assert.Single(host.Audit.Records);
        Assert.Equal(("node.cordon", NodeId, "fleet.transition:1"), (record.Action, record.Target, record.SourceId));
    }

    [Fact]
    public async Task Cordon_without_an_actor_is_recorded_as_the_anonymous_person()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "maintenance" });

        Assert.Equal("person:anonymous", Assert.Single(host.Audit.Records).Actor.ToString());
    }

    [Fact]
    public async Task Cordoning_twice_is_idempotent_and_audited_once()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "first" });
        var again = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "retry" });

        Assert.Equal("cordoned", again["state"]!.GetValue<string>());
        Assert.Single(host.Audit.Records);
    }

    [Fact]
    public async Task Uncordon_returns_a_cordoned_node_to_available()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "check" });

        var node = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/uncordon", new { reason = "checked, fine", actor = "agent:triage" });

        Assert.Equal("available", node["state"]!.GetValue<string>());
        Assert.Equal(["node.cordon", "node.uncordon"], host.Audit.Records.Select(r => r.Action));
        Assert.Equal(Actor.Agent("triage"), host.Audit.Records[1].Actor);
    }

    [Fact]
    public async Task An_illegal_transition_is_a_409_problem_naming_from_to_and_the_allowed_states()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var node = (await host.Fleet.GetNodeAsync(new NodeId(NodeId), CancellationToken.None))!;
        await host.Fleet.ApplyNodeTransitionAsync(node.Id, node.Version,
            new LifecycleTransition(NodeId, LifecycleState.Available, LifecycleState.Repair, "automation:test", "setup", DateTimeOffset.UnixEpoch),
            CancellationToken.None);

        var problem = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { reason = "no" }, HttpStatusCode.Conflict);

        Assert.Equal("https://neocloud.dev/problems/illegal-transition", problem["type"]!.GetValue<string>());
        Assert.Equal(409, problem["status"]!.GetValue<int>());
        Assert.Equal("repair", problem["from"]!.GetValue<string>());
        Assert.Equal("cordoned", problem["to"]!.GetValue<string>());
        Assert.Equal(["available", "burn-in", "rma"], problem["allowed"]!.AsArray().Select(a => a!.GetValue<string>()));

        // The setup transition is a committed change, so the relay audits it too; the refused cordon is not audited.
        Assert.DoesNotContain(host.Audit.Records, r => r.Action == "node.cordon");
    }

    [Fact]
    public async Task Cordoning_an_unknown_node_is_a_404_problem()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.PostJsonAsync("/api/v1/nodes/nope-n01/cordon", new { reason = "x" }, HttpStatusCode.NotFound);

        Assert.Equal("https://neocloud.dev/problems/not-found", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_command_without_a_reason_is_a_400_problem_naming_the_field()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeId}/cordon", new { actor = "person:bob" }, HttpStatusCode.BadRequest);

        Assert.Equal("https://neocloud.dev/problems/invalid-request", problem["type"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["reason"]);
    }
}
