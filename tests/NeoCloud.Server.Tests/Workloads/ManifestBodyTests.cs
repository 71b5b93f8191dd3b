using System.Text;
using Microsoft.AspNetCore.Http;
using NeoCloud.Server.Workloads;

namespace NeoCloud.Server.Tests.Workloads;

public sealed class ManifestBodyTests
{
    [Fact]
    public async Task A_body_without_a_length_is_refused_once_it_passes_the_limit()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 20_000)));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ManifestBody.ReadAsync(context.Request, 10_000, default));

        Assert.Contains("larger than 10000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_read_whole_and_an_empty_one_is_refused()
    {
        var context = new DefaultHttpContext();
        string manifest = "kind: Job\n" + new string('#', 9_000);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(manifest));

        Assert.Equal(manifest, await ManifestBody.ReadAsync(context.Request, 10_000, default));

        context.Request.Body = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() => ManifestBody.ReadAsync(context.Request, 10_000, default));
    }
}
