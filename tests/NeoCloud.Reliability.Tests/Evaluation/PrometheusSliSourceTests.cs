using System.Net;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests.Evaluation;

public sealed class PrometheusSliSourceTests : IDisposable
{
    private const string Bad = "sum(rate(http_errors_total[30s]))";
    private const string Total = "sum(rate(http_requests_total[30s]))";
    private static readonly DateTimeOffset End = new(2026, 11, 1, 12, 0, 30, TimeSpan.Zero);
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(30);

    private readonly FakePrometheus _prometheus = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _prometheus.Dispose();
    }

    private static SloSpec Slo(string name, string? good = null, string? bad = "sum(rate(http_errors_total[{{.window}}]))") =>
        SloManifestReader.Parse(SampleSlos.JobStarts)[0] with
        {
            Name = name,
            Indicator = SliIndicator.Ratio(good, good is null ? bad : null, "sum(rate(http_requests_total[{{.window}}]))"),
        };

    private PrometheusSliSource Source() => new(_http, _prometheus.BaseUrl);

    [Fact]
    public async Task The_queries_run_at_the_end_of_the_bucket_over_the_bucket_and_their_rates_become_event_counts()
    {
        _prometheus.Values[Total] = "10";
        _prometheus.Values[Bad] = "0.5";
        var book = new SloBook(Bucket);
        book.Upsert(Slo("api"));

        var reading = Assert.Single(await Source().PollAsync(book, End));

        Assert.Equal(new SliReading("api", End, Good: 285, Total: 300, Error: null), reading);
        Assert.All(_prometheus.Requests, r => Assert.Equal("1793534430", r.Time));
        Assert.Equal([Bad, Total], _prometheus.Requests.Select(r => r.Query).Order(StringComparer.Ordinal));
        var status = book.Evaluate(End - TimeSpan.FromTicks(1)).First();
        Assert.Equal((300L, 0.05), (status.EventsInPeriod, status.ErrorRatio));
    }

    [Fact]
    public async Task Polling_the_same_bucket_again_records_nothing_twice_but_a_failed_slo_is_read_again()
    {
        _prometheus.Values[Total] = "10";
        _prometheus.Values[Bad] = "0.5";
        _prometheus.Raw["sum(rate(flaky_total[30s]))"] = (HttpStatusCode.ServiceUnavailable, """{"status":"error","errorType":"unavailable","error":"busy"}""");
        var book = new SloBook(Bucket);
        book.Upsert(Slo("api"));
        book.Upsert(Slo("flaky", bad: "sum(rate(flaky_total[{{.window}}]))"));
        var source = Source();

        var first = (await source.PollAsync(book, End)).ToDictionary(r => r.Slo);
        _prometheus.Raw.Clear();
        _prometheus.Values["sum(rate(flaky_total[30s]))"] = "1";
        var retry = (await source.PollAsync(book, End)).ToDictionary(r => r.Slo);

        Assert.True(first["api"].Succeeded);
        Assert.False(first["flaky"].Succeeded);
        Assert.Contains("already read", retry["api"].Error, StringComparison.Ordinal);
        Assert.True(retry["flaky"].Succeeded);
        book.Evaluate(End);
        Assert.Equal(300, book.StatusOf("api")!.EventsInPeriod);
        Assert.Equal(300, book.StatusOf("flaky")!.EventsInPeriod);
    }

    [Fact]
    public async Task An_outage_read_from_prometheus_pages_and_freezes_the_service()
    {
        var book = new SloBook(Bucket);
        book.Upsert(Slo("api"));
        var source = Source();
        _prometheus.Values[Total] = "10";
        _prometheus.Values[Bad] = "0";
        var end = End;
        for (int i = 0; i < 120; i++, end += Bucket)
        {
            _prometheus.Values[Bad] = i < 100 ? "0" : "10"; // every request fails for the last ten minutes
            Assert.All(await source.PollAsync(book, end), r => Assert.True(r.Succeeded, r.Error));
        }

        var status = book.Evaluate(end - Bucket).Single(s => s.Objective == "starts");
        var alerts = SloAlerts.Of(status);

        Assert.Contains(alerts, a => a["severity"] == "page" && a["neocloud_window"] == "1h");
        Assert.Equal(BudgetVerdict.Frozen, ErrorBudgetPolicy.Default.Consult(status.Service, [status]).Verdict);
    }

    [Fact]
    public async Task A_good_query_gives_the_bad_events_as_total_minus_good()
    {
        _prometheus.Values[Total] = "2";
        _prometheus.Values["sum(rate(http_ok_total[30s]))"] = "1.5";

        var reading = await Source().ReadAsync(Slo("api", good: "sum(rate(http_ok_total[{{.window}}]))"), End, Bucket);

        Assert.Equal((45L, 60L), (reading.Good, reading.Total));
    }

    [Fact]
    public async Task Fractional_counts_are_carried_so_the_recorded_events_follow_the_exact_sum()
    {
        _prometheus.Values[Total] = "0.1"; // 3 events a bucket
        _prometheus.Values[Bad] = "0.01";  // 0.3 bad events a bucket
        var source = Source();
        var slo = Slo("api");

        var readings = new List<SliReading>();
        for (int i = 0; i < 10; i++)
        {
            readings.Add(await source.ReadAsync(slo, End + (i * Bucket), Bucket));
        }

        Assert.All(readings, r => Assert.Equal(3, r.Total));
        Assert.All(readings, r => Assert.InRange(r.Total - r.Good, 0, 1)); // 0.3 rounds to 0, the carry makes every third-ish 1
        Assert.Equal(3, readings.Sum(r => r.Total - r.Good)); // exactly 10 × 0.3
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"1:14: parse error: unexpected \"]\""}""", "HTTP 400: bad_data: 1:14: parse error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"status":"error","errorType":"unavailable","error":"too many queries"}""", "HTTP 503: unavailable")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "HTTP 502: not a Prometheus API answer")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[]}}""", "empty vector")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"1"]}]}}""", "2 series")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}""", "returned NaN")]
    [InlineData(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[]}}""", "returned a matrix")]
    public async Task A_bad_answer_is_that_slos_error_and_the_other_slos_are_still_recorded(HttpStatusCode code, string body, string error)
    {
        _prometheus.Values[Total] = "10";
        _prometheus.Values[Bad] = "1";
        _prometheus.Raw["sum(rate(broken_total[30s]))"] = (code, body);
        var book = new SloBook(Bucket);
        book.Upsert(Slo("healthy"));
        book.Upsert(Slo("broken", bad: "sum(rate(broken_total[{{.window}}]))"));

        var readings = (await Source().PollAsync(book, End)).ToDictionary(r => r.Slo);

        Assert.True(readings["healthy"].Succeeded);
        Assert.Contains(error, readings["broken"].Error, StringComparison.Ordinal);
        Assert.StartsWith("bad: ", readings["broken"].Error, StringComparison.Ordinal);
        book.Evaluate(End);
        Assert.Equal(300, book.StatusOf("healthy")!.EventsInPeriod);
        Assert.Equal(0, book.StatusOf("broken")!.EventsInPeriod);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_is_an_error_not_an_exception()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var unreachable = new PrometheusSliSource(http, new Uri("http://127.0.0.1:1/"));

        var reading = await unreachable.ReadAsync(Slo("api"), End, Bucket);

        Assert.False(reading.Succeeded);
        Assert.StartsWith("total: query 'sum(rate(http_requests_total[30s]))' failed", reading.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_and_threshold_slos_are_left_to_the_host_and_to_prometheus()
    {
        Assert.False(PrometheusSliSource.Reads(SloManifestReader.Parse(SampleSlos.ApiAvailability)[0]));
        Assert.False(PrometheusSliSource.Reads(SloManifestReader.Parse(SampleSlos.InferenceLatency)[0]));
        Assert.True(PrometheusSliSource.Reads(SloManifestReader.Parse(SampleSlos.JobStarts)[0]));
    }
}
