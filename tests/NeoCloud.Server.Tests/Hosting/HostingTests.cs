using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Store;
using NeoCloud.Server.Hosting;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task The_host_listens_on_the_urls_given_as_arguments()
    {
        var fleet = new InMemoryFleetStore();
        await fleet.ImportAsync(TestFleet.Generate(), CancellationToken.None);
        await using var app = NeoCloudApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            configureServices: services =>
            {
                services.AddSingleton<IFleetStore>(fleet);
                services.AddSingleton<IAuditStore>(new InMemoryAuditStore());

                // Without it the job audit relay would open the default SQLite data directory for its store.
                services.AddSingleton<IWorkloadStore>(new InMemoryWorkloadStore());
            });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var response = await client.GetAsync(new Uri("/api/v1/regions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(":5080", app.Urls.Single(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task The_dashboard_assets_are_served_from_the_assembly(string path, string mediaType)
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
