using System.Globalization;
using System.Text.Json;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// Reads SLIs from any Prometheus-compatible endpoint (Prometheus, Thanos, Mimir, VictoriaMetrics) with instant queries,
/// <c>GET {base}/api/v1/query?query=…&amp;time=…</c>, one bucket at a time, and records them into a <see cref="SloBook"/>.
/// </summary>
/// <remarks>
/// For the bucket ending at t the indicator's queries run at t with <c>{{.window}}</c> set to the bucket, so each gives a
/// per-second rate over the bucket; rate × bucket seconds is the bucket's events. Counts are whole, so each SLO keeps the
/// exact running sums and records the change in their rounding (half away from zero): the recorded events never drift
/// more than half an event from the exact sum, however small the rate. Every failure — HTTP, <c>status: error</c>, an
/// empty vector, several series, NaN or a negative rate — becomes that SLO's <see cref="SliReading.Error"/>; only the
/// caller's cancellation ends a poll early. Retries are idempotent: a bucket is counted once per SLO, so polling the same
/// end again (after a timeout, say) records nothing twice, while an SLO whose read failed is read again.
/// </remarks>
public sealed class PrometheusSliSource
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly Dictionary<string, Carry> _carries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PrometheusSliSource(HttpClient http, Uri baseUrl, int parallelism = 4)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _http = http;
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Parallelism = parallelism;
    }

    /// <summary>How many SLOs are queried at once.</summary>
    public int Parallelism { get; }

    /// <summary>Whether this source reads the SLO: ratio indicators by query (built-in SLIs are counted by the host itself).</summary>
    public static bool Reads(SloSpec slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo.Indicator.Kind == SliKind.Ratio && slo.Indicator.BuiltIn is null;
    }

    /// <summary>
    /// Reads every SLO of the book this source reads for the bucket ending at <paramref name="end"/> and records what it
    /// got at <paramref name="end"/> minus one tick, so the events land in the bucket [end − bucket, end).
    /// </summary>
    public async Task<IReadOnlyList<SliReading>> PollAsync(SloBook book, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(book);
        var slos = book.Slos.Where(Reads).ToList();
        var readings = new SliReading[slos.Count];
        await Parallel.ForAsync(0, slos.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var reading = await ReadAsync(slos[i], end, book.Bucket, ct).ConfigureAwait(false);
            if (reading.Succeeded && reading.Total > 0 && !book.Record(reading.Slo, end - TimeSpan.FromTicks(1), reading.Good, reading.Total))
            {
                reading = reading with { Error = "the book no longer holds this SLO, or the bucket is older than its period" };
            }

            readings[i] = reading;
        }).ConfigureAwait(false);
        return readings;
    }

    /// <summary>The events of <paramref name="slo"/> in the <paramref name="bucket"/> ending at <paramref name="end"/>; never throws for a bad answer.</summary>
    public async Task<SliReading> ReadAsync(SloSpec slo, DateTimeOffset end, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slo);
        if (!Reads(slo))
        {
            return new SliReading(slo.Name, end, 0, 0, "not a ratio indicator by query (threshold and built-in SLIs are not read from Prometheus)");
        }

        if (AlreadyRead(slo.Name, end))
        {
            return new SliReading(slo.Name, end, 0, 0, AlreadyReadError(end));
        }

        var indicator = slo.Indicator;
        string window = PromDuration.Format(bucket);
        var (totalRate, totalError) = await QueryAsync(SloRuleSet.Substitute(indicator.Total!, window), end, cancellationToken).ConfigureAwait(false);
        if (totalError is not null)
        {
            return new SliReading(slo.Name, end, 0, 0, $"total: {totalError}");
        }

        bool countsBad = indicator.Bad is not null;
        var (partRate, partError) = await QueryAsync(SloRuleSet.Substitute(countsBad ? indicator.Bad! : indicator.Good!, window), end, cancellationToken).ConfigureAwait(false);
        if (partError is not null)
        {
            return new SliReading(slo.Name, end, 0, 0, $"{(countsBad ? "bad" : "good")}: {partError}");
        }

        double seconds = bucket.TotalSeconds;
        double total = totalRate * seconds;
        double bad = countsBad ? partRate * seconds : total - (partRate * seconds);

        // Rates of two queries can disagree by a sample: keep bad within [0, total].
        bad = Math.Clamp(bad, 0, total);
        return Round(slo.Name, end, bad, total) is var (recordedBad, recordedTotal)
            ? new SliReading(slo.Name, end, recordedTotal - recordedBad, recordedTotal, null)
            : new SliReading(slo.Name, end, 0, 0, AlreadyReadError(end));
    }

    private static string AlreadyReadError(DateTimeOffset end) =>
        $"the bucket ending at {end:O} was already read: a retry records nothing twice";

    private bool AlreadyRead(string slo, DateTimeOffset end)
    {
        lock (_gate)
        {
            return _carries.GetValueOrDefault(slo) is { } carry && end <= carry.LastEnd;
        }
    }

    /// <summary>Adds the bucket's exact counts to the SLO's sums and returns the whole events to record; null when a read of this or a later bucket already counted.</summary>
    private (long Bad, long Total)? Round(string slo, DateTimeOffset end, double bad, double total)
    {
        lock (_gate)
        {
            var carry = _carries.GetValueOrDefault(slo) ?? new Carry();
            _carries[slo] = carry;
            if (end <= carry.LastEnd)
            {
                return null;
            }

            carry.LastEnd = end;
            carry.ExactBad += bad;
            carry.ExactTotal += total;
            long newTotal = (long)Math.Round(carry.ExactTotal, MidpointRounding.AwayFromZero) - carry.RecordedTotal;
            long newBad = Math.Clamp((long)Math.Round(carry.ExactBad, MidpointRounding.AwayFromZero) - carry.RecordedBad, 0, newTotal);
            carry.RecordedTotal += newTotal;
            carry.RecordedBad += newBad;
            return (newBad, newTotal);
        }
    }

    private async Task<(double Value, string? Error)> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        string time = (at.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
        var uri = new Uri(_baseUrl, $"api/v1/query?query={Uri.EscapeDataString(query)}&time={time}");
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Parse(body, (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (double.NaN, $"query '{query}' timed out");
        }
        catch (HttpRequestException e)
        {
            return (double.NaN, $"query '{query}' failed: {e.Message}");
        }
    }

    /// <summary>Parses Prometheus' HTTP API answer: an instant vector of exactly one sample, or a scalar.</summary>
    internal static (double Value, string? Error) Parse(string body, int statusCode)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (double.NaN, $"HTTP {statusCode}: not a Prometheus API answer ({Shorten(body)})");
        }

        using (document)
        {
            var root = document.RootElement;
            string? status = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status == "error")
            {
                string type = root.TryGetProperty("errorType", out var t) ? t.GetString() ?? "" : "";
                string error = root.TryGetProperty("error", out var m) ? m.GetString() ?? "" : "";
                return (double.NaN, $"HTTP {statusCode}: {type}: {error}");
            }

            if (status != "success" || !root.TryGetProperty("data", out var data) || !data.TryGetProperty("resultType", out var typeElement)
                || !data.TryGetProperty("result", out var result))
            {
                return (double.NaN, $"HTTP {statusCode}: not a Prometheus API answer ({Shorten(body)})");
            }

            JsonElement sample;
            switch (typeElement.GetString())
            {
                case "scalar":
                    sample = result;
                    break;
                case "vector" when result.GetArrayLength() == 0:
                    return (double.NaN, "the query returned an empty vector (no series matched; add `or vector(0)` where none means zero)");
                case "vector" when result.GetArrayLength() > 1:
                    return (double.NaN, $"the query returned {result.GetArrayLength()} series; an SLI query must aggregate to one, e.g. with sum(...)");
                case "vector":
                    sample = result[0].GetProperty("value");
                    break;
                default:
                    return (double.NaN, $"the query returned a {typeElement.GetString()}, not an instant vector or scalar");
            }

            // A sample is [unix time, "value"], the value a string so that NaN and ±Inf survive JSON.
            string? text = sample.ValueKind == JsonValueKind.Array && sample.GetArrayLength() == 2 ? sample[1].GetString() : null;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                return (double.NaN, $"the sample value '{text}' is not a number");
            }

            return double.IsFinite(value) && value >= 0
                ? (value, null)
                : (double.NaN, $"the query returned {text}, not a rate");
        }
    }

    private static string Shorten(string body) => body.Length <= 120 ? body : body[..120] + "…";

    /// <summary>An SLO's exact running sums and what of them was recorded, so rounding never accumulates.</summary>
    private sealed class Carry
    {
        public double ExactBad { get; set; }

        public double ExactTotal { get; set; }

        public long RecordedBad { get; set; }

        public long RecordedTotal { get; set; }

        /// <summary>The end of the last bucket counted: reading it (or an earlier one) again counts nothing.</summary>
        public DateTimeOffset LastEnd { get; set; } = DateTimeOffset.MinValue;
    }
}
