using System.Net;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Api;

public sealed class ProblemTests
{
    [Fact]
    public async Task An_unknown_node_is_a_404_problem_with_a_stable_type()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/api/v1/nodes/euw9-dc9-r99-n99", UriKind.Relative));
        var problem = await ApiJson.ReadAsync(response, HttpStatusCode.NotFound);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("https://neocloud.dev/problems/not-found", problem["type"]!.GetValue<string>());
        Assert.Contains("euw9-dc9-r99-n99", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_gpu_is_a_404_problem()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.GetJsonAsync("/api/v1/gpus/euw1-dc1-r01-n01/gpu99", HttpStatusCode.NotFound);

        Assert.Equal("https://neocloud.dev/problems/not-found", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_state_filter_is_a_400_naming_the_parameter_and_the_allowed_values()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.GetJsonAsync("/api/v1/nodes?state=bogus", HttpStatusCode.BadRequest);

        Assert.Equal("https://neocloud.dev/problems/invalid-request", problem["type"]!.GetValue<string>());
        string error = problem["errors"]!["state"]![0]!.GetValue<string>();
        Assert.Contains("bogus", error, StringComparison.Ordinal);
        Assert.Contains("cordoned", error, StringComparison.Ordinal);
        Assert.Contains("burn-in", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/nodes?health=sick", "health")]
    [InlineData("/api/v1/nodes?limit=0", "limit")]
    [InlineData("/api/v1/nodes?limit=abc", "limit")]
    [InlineData("/api/v1/nodes?cursor=%25%25", "cursor")]
    [InlineData("/api/v1/gpus?state=broken", "state")]
    [InlineData("/api/v1/audit?limit=5000", "limit")]
    public async Task Bad_query_parameters_are_400_problems_naming_the_parameter(string url, string parameter)
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.GetJsonAsync(url, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
