using System.Net;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Api;

public sealed class FleetQueryTests
{
    [Fact]
    public async Task Regions_sites_and_racks_are_listed_and_filtered()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var regions = await host.Client.GetJsonAsync("/api/v1/regions");
        var sites = await host.Client.GetJsonAsync("/api/v1/sites?region=euw1");
        var racks = await host.Client.GetJsonAsync("/api/v1/racks?site=euw1-dc2");

        Assert.Equal(["euw1"], regions["items"].Strings("id"));
        Assert.Equal(["euw1-dc1", "euw1-dc2"], sites["items"].Strings("id"));
        Assert.Equal("leased", sites["items"]![1]!["ownership"]!.GetValue<string>());
        Assert.Equal(2, racks["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Nodes_are_filtered_by_site_sku_state_and_health()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var dc2 = await host.Client.GetJsonAsync("/api/v1/nodes?site=euw1-dc2");
        var h100 = await host.Client.GetJsonAsync("/api/v1/nodes?sku=h100-sxm5-80gb&state=available&health=healthy");
        var cordoned = await host.Client.GetJsonAsync("/api/v1/nodes?state=cordoned");
        var rack = await host.Client.GetJsonAsync("/api/v1/nodes?rack=euw1-dc1-r01&region=euw1");

        Assert.Equal(8, dc2["items"]!.AsArray().Count);
        Assert.All(dc2["items"]!.AsArray(), n => Assert.Equal("euw1-dc2", n!["site"]!.GetValue<string>()));
        Assert.Equal(12, h100["items"]!.AsArray().Count);
        Assert.Empty(cordoned["items"]!.AsArray());
        Assert.Equal(4, rack["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Nodes_are_written_with_plain_string_ids_and_kebab_case_enums()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var node = (await host.Client.GetJsonAsync("/api/v1/nodes?limit=1"))["items"]![0]!;

        Assert.Equal("euw1-dc1-r01-n01", node["id"]!.GetValue<string>());
        Assert.Equal("euw1-dc1-r01", node["rack"]!.GetValue<string>());
        Assert.Equal("available", node["state"]!.GetValue<string>());
        Assert.Equal("healthy", node["health"]!.GetValue<string>());
        Assert.Equal(8, node["gpuCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Paging_through_nodes_visits_every_node_exactly_once()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var seen = new List<string>();
        string? url = "/api/v1/nodes?limit=3&site=";
        int pages = 0;

        while (url is not null)
        {
            using var response = await host.Client.GetAsync(new Uri(url, UriKind.Relative));
            var page = await ApiJson.ReadAsync(response, HttpStatusCode.OK);
            seen.AddRange(page["items"].Strings("id"));
            pages++;
            string? next = page["nextCursor"]?.GetValue<string>();
            if (next is null)
            {
                Assert.False(response.Headers.Contains("Link"));
                url = null;
            }
            else
            {
                string link = Assert.Single(response.Headers.GetValues("Link"));
                Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
                Assert.Contains("limit=3", link, StringComparison.Ordinal);
                var target = new Uri(link[1..link.IndexOf('>', StringComparison.Ordinal)]);
                url = target.PathAndQuery;
                Assert.Contains($"cursor={next}", url, StringComparison.Ordinal);
            }
        }

        Assert.Equal(TestFleet.NodeCount, seen.Count);
        Assert.Equal(TestFleet.NodeCount, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task Node_details_include_its_gpus_fabric_links_and_history()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Client.PostJsonAsync("/api/v1/nodes/euw1-dc1-r02-n03/cordon", new { reason = "fan noise", actor = "person:alice" });

        var details = await host.Client.GetJsonAsync("/api/v1/nodes/euw1-dc1-r02-n03");

        Assert.Equal("cordoned", details["node"]!["state"]!.GetValue<string>());
        Assert.Equal(8, details["gpus"]!.AsArray().Count);
        Assert.Equal("euw1-dc1-r02-n03/gpu0", details["gpus"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(8, details["links"]!.AsArray().Count);
        Assert.Equal("node-to-leaf", details["links"]![0]!["kind"]!.GetValue<string>());
        var history = Assert.Single(details["history"]!.AsArray())!;
        Assert.Equal("available", history["from"]!.GetValue<string>());
        Assert.Equal("cordoned", history["to"]!.GetValue<string>());
        Assert.Equal("person:alice", history["actor"]!.GetValue<string>());
        Assert.Equal("fan noise", history["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gpus_are_filtered_and_paged()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var ofNode = await host.Client.GetJsonAsync("/api/v1/gpus?node=euw1-dc2-r01-n02&limit=1000");
        var l40s = await host.Client.GetJsonAsync("/api/v1/gpus?site=euw1-dc2&sku=l40s-48gb&state=available&health=healthy&limit=5");

        Assert.Equal(8, ofNode["items"]!.AsArray().Count);
        Assert.Null(ofNode["nextCursor"]);
        Assert.Equal(5, l40s["items"]!.AsArray().Count);
        Assert.NotNull(l40s["nextCursor"]);
    }

    [Theory]
    [InlineData("/api/v1/gpus/euw1-dc1-r01-n02/gpu3")]
    [InlineData("/api/v1/gpus/euw1-dc1-r01-n02%2Fgpu3")]
    public async Task A_gpu_is_found_by_its_id_with_the_slash_plain_or_encoded(string url)
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var gpu = await host.Client.GetJsonAsync(url);

        Assert.Equal("euw1-dc1-r01-n02/gpu3", gpu["id"]!.GetValue<string>());
        Assert.Equal("euw1-dc1-r01-n02", gpu["node"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_summary_counts_nodes_by_state_health_site_and_sku()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var summary = await host.Client.GetJsonAsync("/api/v1/summary");

        Assert.Equal(20, summary["nodes"]!.GetValue<int>());
        Assert.Equal(20, summary["byState"]!["available"]!.GetValue<int>());
        Assert.Equal(20, summary["byHealth"]!["healthy"]!.GetValue<int>());
        Assert.Equal(12, summary["bySite"]!["euw1-dc1"]!.GetValue<int>());
        Assert.Equal(8, summary["bySku"]!["l40s-48gb"]!.GetValue<int>());
    }
}
