using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Kernel.Tests.Manifests;

public sealed class SpecMappingDurationTests
{
    private static (TimeSpan? At, TimeSpan? For, List<SpecError> Errors) Read(string spec)
    {
        var errors = new List<SpecError>();
        var document = ManifestDocument.Load($"apiVersion: neocloud.dev/v1\nkind: Test\nmetadata: {{ name: t }}\nspec: {spec}\n", "Test", errors);
        Assert.NotNull(document);
        var at = document.Spec.Duration("at", required: true);
        var span = document.Spec.Duration("for", required: false, positive: true);
        return (at, span, errors);
    }

    [Fact]
    public void Durations_are_read_in_go_style()
    {
        var (at, span, errors) = Read("{ at: 1h30m, for: 500ms }");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(90), at);
        Assert.Equal(TimeSpan.FromMilliseconds(500), span);
    }

    [Fact]
    public void A_missing_optional_duration_is_null_and_no_error()
    {
        var (_, span, errors) = Read("{ at: 0 }");

        Assert.Empty(errors);
        Assert.Null(span);
    }

    [Fact]
    public void A_bad_or_zero_duration_is_reported_with_its_line_and_path()
    {
        var (at, span, errors) = Read("\n  at: soon\n  for: 0");

        Assert.Null(at);
        Assert.Null(span);
        Assert.Collection(
            errors,
            e => Assert.Equal((5, "spec.at"), (e.Line, e.Path)),
            e => Assert.Equal((6, "spec.for"), (e.Line, e.Path)));
        Assert.Contains("is not a duration", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("is not a positive duration", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("m")]
    public void Text_that_is_not_a_duration_is_refused(string text)
    {
        Assert.False(SpecMapping.TryParseDuration(text, out _));
    }
}
