using System.Text.RegularExpressions;
using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Tests.Alerting;

public sealed class MatcherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("node=n1", "node", MatchOperator.Equal, "n1")]
    [InlineData("node!=\"n1\"", "node", MatchOperator.NotEqual, "n1")]
    [InlineData("node=~n[0-9]+", "node", MatchOperator.Regex, "n[0-9]+")]
    [InlineData(" gpu !~ \"[4-7]\" ", "gpu", MatchOperator.NotRegex, "[4-7]")]
    [InlineData("gpu=", "gpu", MatchOperator.Equal, "")]
    public void Matchers_parse_from_alertmanager_syntax(string text, string name, MatchOperator type, string value)
    {
        Assert.Equal(new Matcher(name, type, value), Matcher.Parse(text));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("=n1")]
    public void Text_without_a_name_or_operator_is_not_a_matcher(string text)
    {
        Assert.Throws<FormatException>(() => Matcher.Parse(text));
    }

    [Fact]
    public void A_missing_label_matches_as_empty()
    {
        var alert = Alert.Firing(T0, ("alertname", "x"));

        Assert.True(Matcher.Equal("gpu", "").Matches(alert));
        Assert.False(Matcher.NotEqual("gpu", "").Matches(alert));
        Assert.True(Matcher.Regex("gpu", ".*").Matches(alert));
    }

    [Fact]
    public void The_fingerprint_depends_on_labels_not_their_order_nor_annotations()
    {
        var a = new Alert([KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "1")], T0);
        var b = new Alert([KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2")], T0 + TimeSpan.FromHours(1), annotations: [KeyValuePair.Create("summary", "s")]);
        var c = new Alert([KeyValuePair.Create("a", "12")], T0);
        var d = new Alert([KeyValuePair.Create("a", "1"), KeyValuePair.Create("2", "")], T0);

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
        Assert.NotEqual(c.Fingerprint, d.Fingerprint);
    }

    [Fact]
    public void An_invalid_regex_fails_when_the_matcher_is_made()
    {
        Assert.Throws<RegexParseException>(() => Matcher.Regex("node", "n[0-"));
    }
}
