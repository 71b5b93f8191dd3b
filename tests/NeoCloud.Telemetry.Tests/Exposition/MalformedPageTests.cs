using System.Text;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Tests.Exposition;

public sealed class MalformedPageTests
{
    [Theory]
    [InlineData("ok 1\n1bad 2\n", 2, 1, "invalid metric name")]
    [InlineData("foo-bar 1\n", 1, 4, "invalid character in metric name")]
    [InlineData("# TYPE foo gauge\nfoo{1a=\"x\"} 1\n", 2, 5, "invalid label name")]
    [InlineData("foo{a=\"1\",a=\"2\"} 1\n", 1, 11, "duplicate label name 'a'")]
    [InlineData("foo 1\n# TYPE foo gauge\n", 2, 8, "TYPE line for 'foo' after its samples")]
    [InlineData("# TYPE foo gauge\n# TYPE foo counter\n", 2, 8, "second TYPE line for 'foo'")]
    [InlineData("# HELP foo one\n# HELP foo two\n", 2, 8, "second HELP line for 'foo'")]
    [InlineData("\nfoo{a=\"x} 1\n", 2, 7, "unterminated label value")]
    [InlineData("foo{a=\"x\\\"} 1\n", 1, 7, "unterminated label value")]
    [InlineData("foo{a=\"x\"}\n", 1, 11, "missing value")]
    [InlineData("foo\n", 1, 4, "missing value")]
    [InlineData("foo 1.2.3\n", 1, 5, "invalid value '1.2.3'")]
    [InlineData("foo{a=\"1\"} 0x1F\n", 1, 12, "invalid value '0x1F'")]
    [InlineData("foo 1 12x\n", 1, 7, "invalid timestamp '12x'")]
    [InlineData("foo 1 1.5\n", 1, 7, "invalid timestamp '1.5'")]
    [InlineData("foo 1 2 3\n", 1, 9, "unexpected text after the timestamp")]
    [InlineData("# TYPE foo gaugeish\n", 1, 12, "unknown metric type 'gaugeish'")]
    [InlineData("# TYPE foo gauge extra\n", 1, 18, "unexpected text after the metric type")]
    [InlineData("# HELP 9foo text\n", 1, 8, "invalid metric name in HELP or TYPE line")]
    [InlineData("# HELP foo bad \\t escape\n", 1, 16, "invalid escape sequence '\\t' in HELP text")]
    [InlineData("foo{a=\"\\x\"} 1\n", 1, 8, "invalid escape sequence '\\x' in label value")]
    [InlineData("foo{a \"x\"} 1\n", 1, 7, "expected '=' after the label name")]
    [InlineData("foo{a=x} 1\n", 1, 7, "expected '\"' to open the label value")]
    [InlineData("foo{a=\"x\" b=\"y\"} 1\n", 1, 11, "expected ',' or '}' after the label value")]
    [InlineData("foo{a=\"x\",\n", 1, 11, "expected a label name or '}'")]
    [InlineData("a 1\r\nb 2\r\nc{ 3\r\n", 3, 4, "invalid label name")]
    public void Each_kind_of_error_names_its_line_and_column(string page, int line, int column, string reason)
    {
        var batch = new SampleBatch();

        var error = Assert.Throws<TelemetryParseException>(() => PrometheusTextParser.Parse(Encoding.UTF8.GetBytes(page), batch));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal($"line {line}, column {column}: {reason}", error.Message);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void A_label_value_that_is_not_utf8_is_rejected()
    {
        byte[] page = [.. "gpu_temp{host=\""u8, 0xC3, 0x28, .. "\"} 1\n"u8];

        var error = Assert.Throws<TelemetryParseException>(() => PrometheusTextParser.Parse(page, new SampleBatch()));

        Assert.Equal("label value is not valid UTF-8", error.Reason);
        Assert.Equal(16, error.Column);
    }

    [Fact]
    public void TryParse_reports_the_error_without_throwing()
    {
        var batch = new SampleBatch();

        bool parsed = PrometheusTextParser.TryParse("a 1\nb\n"u8, batch, out TelemetryParseException? error);

        Assert.False(parsed);
        Assert.Equal(2, error!.Line);
        Assert.Equal(0, batch.Count);
    }
}
