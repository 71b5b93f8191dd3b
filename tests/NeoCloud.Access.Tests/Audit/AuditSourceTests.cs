using NeoCloud.Access.Audit;

namespace NeoCloud.Access.Tests.Audit;

public sealed class AuditSourceTests
{
    [Fact]
    public void A_source_id_splits_back_into_its_stream_and_sequence()
    {
        Assert.True(AuditSource.TryParse(AuditSource.Id("fleet.transition", 42), out string stream, out long sequence));
        Assert.Equal(("fleet.transition", 42L), (stream, sequence));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fleet.transition")]
    [InlineData(":7")]
    [InlineData("fleet.transition:")]
    [InlineData("fleet.transition:-1")]
    [InlineData("fleet.transition:x")]
    public void An_id_without_a_sequence_has_no_stream(string? sourceId)
    {
        Assert.False(AuditSource.TryParse(sourceId, out _, out _));
    }
}
