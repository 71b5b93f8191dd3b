using System.Text;
using NeoCloud.Telemetry.Exposition;
using NeoCloud.Telemetry.Tests.Dcgm;

namespace NeoCloud.Telemetry.Tests.Exposition;

public sealed class PrometheusTextParserTests
{
    private static SampleBatch Parse(string page)
    {
        var batch = new SampleBatch();
        PrometheusTextParser.Parse(Encoding.UTF8.GetBytes(page), batch);
        return batch;
    }

    [Fact]
    public void A_sample_is_read_with_its_name_labels_value_and_timestamp()
    {
        SampleBatch batch = Parse("http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n");

        Sample sample = Assert.Single(batch.ToList());
        Assert.Equal("http_requests_total", sample.Name);
        Assert.Equal(2, sample.LabelCount);
        Assert.Equal("method", sample.GetLabelName(0));
        Assert.Equal("post", sample.GetLabelValue(0));
        Assert.True(sample.TryGetLabel("code", out string? code));
        Assert.Equal("200", code);
        Assert.Equal(1027, sample.Value);
        Assert.Equal(1395066363000, sample.Timestamp);
        Assert.Equal(1, sample.Line);
    }

    [Fact]
    public void A_sample_without_timestamp_or_labels_has_neither()
    {
        Sample sample = Assert.Single(Parse("up 1\n").ToList());

        Assert.Null(sample.Timestamp);
        Assert.Equal(0, sample.LabelCount);
        Assert.False(sample.TryGetLabel("job", out _));
    }

    [Fact]
    public void Help_and_type_attach_to_their_family()
    {
        var batch = new SampleBatch();
        PrometheusTextParser.Parse(TestPages.H100Fixture(), batch);

        Assert.Equal(TestPages.FixtureSamples, batch.Count);
        Assert.Equal(TestPages.FixtureFamilies, batch.FamilyCount);
        MetricFamily temperature = Enumerable.Range(0, batch.FamilyCount).Select(batch.GetFamily)
            .Single(f => f.Name == "DCGM_FI_DEV_GPU_TEMP");
        Assert.Equal(MetricType.Gauge, temperature.Type);
        Assert.Equal("GPU temperature (in C).", temperature.Help);
        Assert.Equal(TestPages.FixtureGpus, temperature.SampleCount);
        Assert.Equal(MetricType.Counter, batch.ToList().First(s => s.Name == "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION").Family.Type);
    }

    [Fact]
    public void A_family_without_type_line_is_untyped_and_without_help_has_null_help()
    {
        MetricFamily family = Parse("some_metric 3\n").GetFamily(0);

        Assert.Equal(MetricType.Untyped, family.Type);
        Assert.Null(family.Help);
    }

    [Fact]
    public void Label_values_are_unescaped()
    {
        Sample sample = Parse("""
            files{path="C:\\dir\\x",quote="say \"hi\"",lines="one\ntwo",brace="a}b,c=\"d\""} 1

            """).ToList()[0];

        Assert.Equal(@"C:\dir\x", sample.GetLabelValue(0));
        Assert.Equal("say \"hi\"", sample.GetLabelValue(1));
        Assert.Equal("one\ntwo", sample.GetLabelValue(2));
        Assert.Equal("a}b,c=\"d\"", sample.GetLabelValue(3));
    }

    [Fact]
    public void Help_text_is_unescaped()
    {
        SampleBatch batch = Parse("""
            # HELP odd A backslash \\ and a\nnewline, quotes "stay".
            odd 1

            """);

        Assert.Equal("A backslash \\ and a\nnewline, quotes \"stay\".", batch.GetFamily(0).Help);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("1.5e3", 1500.0)]
    [InlineData("-2E-2", -0.02)]
    [InlineData("6.02214076e+23", 6.02214076e+23)]
    [InlineData(".5", 0.5)]
    [InlineData("-0", -0.0)]
    [InlineData("312.457000", 312.457)]
    [InlineData("0.1", 0.1)]
    [InlineData("12345678901234567890", 12345678901234567890.0)]
    public void Special_and_exponent_values_are_read(string text, double expected)
    {
        double value = Parse($"m{{a=\"b\"}} {text}\n").ToList()[0].Value;

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Negative_timestamps_are_read()
    {
        Assert.Equal(-1000, Parse("m 1 -1000\n").ToList()[0].Timestamp);
    }

    [Fact]
    public void Crlf_line_endings_are_tolerated()
    {
        SampleBatch batch = Parse("# HELP a The a.\r\n# TYPE a counter\r\na{x=\"1\"} 1\r\n\r\na{x=\"2\"} 2 17\r\n");

        Assert.Equal(2, batch.Count);
        Assert.Equal("The a.", batch.GetFamily(0).Help);
        Assert.Equal(MetricType.Counter, batch.GetFamily(0).Type);
        Assert.Equal("2", batch[1].GetLabelValue(0));
        Assert.Equal(17, batch[1].Timestamp);
        Assert.Equal(5, batch[1].Line);
    }

    [Fact]
    public void Blank_lines_and_plain_comments_are_ignored()
    {
        SampleBatch batch = Parse("\n   \n# just a comment\n#HELPER not a help line\n# HELP\n\t\na 1\n");

        Assert.Equal(1, batch.Count);
        Assert.Equal(1, batch.FamilyCount);
        Assert.Equal(7, batch[0].Line);
    }

    [Fact]
    public void The_last_line_needs_no_newline()
    {
        Assert.Equal(2, Parse("a 1\nb 2").ToList()[1].Value);
    }

    [Fact]
    public void An_empty_label_set_and_a_trailing_comma_are_accepted()
    {
        SampleBatch batch = Parse("a{} 1\nb{x=\"1\",} 2\nc { y = \"2\" } 3\n");

        Assert.Equal(0, batch[0].LabelCount);
        Assert.Equal("1", batch[1].GetLabelValue(0));
        Assert.Equal("2", batch[2].GetLabelValue(0));
    }

    [Fact]
    public void Histogram_and_summary_series_belong_to_their_family()
    {
        SampleBatch batch = Parse("""
            # TYPE rpc_seconds histogram
            rpc_seconds_bucket{le="0.1"} 1
            rpc_seconds_bucket{le="+Inf"} 2
            rpc_seconds_sum 0.3
            rpc_seconds_count 2
            # TYPE gc_seconds summary
            gc_seconds{quantile="0.5"} 0.01
            gc_seconds_sum 1.5
            gc_seconds_count 7

            """);

        Assert.Equal(2, batch.FamilyCount);
        Assert.Equal(4, batch.GetFamily(0).SampleCount);
        Assert.Equal(MetricType.Histogram, batch.GetFamily(0).Type);
        Assert.Equal(3, batch.GetFamily(1).SampleCount);
        Assert.Equal("rpc_seconds_sum", batch[2].Name);
        Assert.Equal("rpc_seconds", batch[2].Family.Name);
    }

    [Fact]
    public void A_failed_page_leaves_the_batch_empty()
    {
        var batch = new SampleBatch();
        PrometheusTextParser.Parse(TestPages.H100Fixture(), batch);
        Assert.Equal(TestPages.FixtureSamples, batch.Count);

        byte[] broken = [.. TestPages.H100Fixture(), .. "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} hot\n"u8];
        bool parsed = PrometheusTextParser.TryParse(broken, batch, out TelemetryParseException? error);

        Assert.False(parsed);
        Assert.NotNull(error);
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.FamilyCount);
        Assert.Empty(batch.ToList());
    }

    [Fact]
    public void A_good_page_after_a_failed_one_is_read_whole()
    {
        var batch = new SampleBatch();
        Assert.False(PrometheusTextParser.TryParse("a{x=\"1\"} 1\na{x=\"1\",x=\"2\"} 2\n"u8, batch, out _));

        PrometheusTextParser.Parse("a{x=\"1\"} 1\na{x=\"2\"} 2\n"u8, batch);

        Assert.Equal(["1", "2"], batch.ToList().Select(s => s.GetLabelValue(0)));
    }

    [Fact]
    public void Repeated_label_values_are_interned_across_pages()
    {
        var batch = new SampleBatch();
        byte[] page = TestPages.H100Fixture();
        PrometheusTextParser.Parse(page, batch);
        string firstUuid = batch[0].GetLabelValue(1);
        string secondFamilyUuid = batch[8].GetLabelValue(1);

        PrometheusTextParser.Parse(page, batch);

        Assert.Same(firstUuid, secondFamilyUuid);
        Assert.Same(firstUuid, batch[0].GetLabelValue(1));
        Assert.Same(batch[0].Name, batch[1].Name);
    }

    [Fact]
    public void A_label_set_seen_before_reads_the_same_as_when_first_parsed()
    {
        SampleBatch batch = Parse("a{x=\"}\",y=\"2\"} 1\nb{x=\"}\",y=\"2\"} 2\nc{x=\"}\",y=\"3\"} 3\n");

        Assert.Equal(["}", "}", "}"], batch.ToList().Select(s => s.GetLabelValue(0)));
        Assert.Equal(["2", "2", "3"], batch.ToList().Select(s => s.GetLabelValue(1)));
    }
}

internal static class SampleBatchExtensions
{
    public static List<Sample> ToList(this SampleBatch batch)
    {
        var samples = new List<Sample>(batch.Count);
        foreach (Sample sample in batch)
        {
            samples.Add(sample);
        }

        return samples;
    }
}
