namespace NeoCloud.Reliability.Tests.Evaluation;

/// <summary>A synthetic service's traffic minute by minute, and the minutes at which to compare our evaluator with promtool.</summary>
internal sealed record TrafficScenario(string Name, IReadOnlyList<(long Good, long Bad)> PerMinute, IReadOnlyList<int> EvalMinutes)
{
    public const int Minutes = 240;

    /// <summary>Whether some eval minute must see an alert: agreement must not be reachable by both sides staying silent.</summary>
    public bool Alerts { get; init; }
    public const long RequestsPerMinute = 2000;

    public static TrafficScenario Steady(string name, long badPerMinute, params int[] evalMinutes) =>
        new(name, Enumerable.Repeat((RequestsPerMinute - badPerMinute, badPerMinute), Minutes).ToArray(), evalMinutes);

    /// <summary>Healthy traffic, then every request fails from minute <paramref name="from"/> up to (not including) <paramref name="until"/>.</summary>
    public static TrafficScenario Outage(string name, int from, int until, params int[] evalMinutes) =>
        new(name, Enumerable.Range(1, Minutes).Select(m => m >= from && m < until ? (0L, RequestsPerMinute) : (RequestsPerMinute, 0L)).ToArray(), evalMinutes);

    /// <summary>No traffic at all but one failed request at <paramref name="failureMinute"/>.</summary>
    public static TrafficScenario IdleWithOneFailure(string name, int failureMinute, params int[] evalMinutes) =>
        new(name, Enumerable.Range(1, Minutes).Select(m => m == failureMinute ? (0L, 1L) : (0L, 0L)).ToArray(), evalMinutes);

    /// <summary>
    /// The counter promtool reads, one sample a minute from minute 0 (value 0): sample m is the sum of minutes 1..m, so the
    /// increase between two samples is exactly the events of the buckets between them.
    /// </summary>
    public string CounterValues(Func<(long Good, long Bad), long> pick)
    {
        long sum = 0;
        var values = new List<string>(PerMinute.Count + 1) { "0" };
        foreach (var minute in PerMinute)
        {
            sum += pick(minute);
            values.Add(sum.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join(' ', values);
    }

    public override string ToString() => Name;
}
