using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Budgets;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.Slos;

/// <summary>
/// Reads a stream of <c>kind: SLO</c> manifests (documents separated by <c>---</c>) in NeoCloud's envelope with OpenSLO v1
/// spec fields; a bad file is rejected whole, every error with its line, column and field path, unknown fields included.
/// </summary>
public static partial class SloManifestReader
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static IReadOnlyList<SloSpec> Parse(string yaml)
    {
        var errors = new List<SpecError>();
        var slos = TryParse(yaml, errors);
        if (errors.Count > 0 || slos is null)
        {
            throw new SloSpecException(errors);
        }

        return slos;
    }

    public static IReadOnlyList<SloSpec> ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the stream; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static IReadOnlyList<SloSpec>? TryParse(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        if (ManifestDocument.LoadStream(yaml, errors) is not { } stream)
        {
            return null;
        }

        var slos = new List<SloSpec>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int d = 0; d < stream.Documents.Count; d++)
        {
            var rootNode = stream.Documents[d].RootNode;
            if (rootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between two separators
            }

            string prefix = stream.Documents.Count == 1 ? "" : $"documents[{d}]";
            if (SpecMapping.From(rootNode, prefix, errors) is { } root && ReadDocument(root, errors) is { } slo)
            {
                if (!ids.Add(slo.Service + "/" + slo.Name))
                {
                    root.Error(rootNode, "metadata.name", $"SLO '{slo.Name}' of service '{slo.Service}' is defined twice");
                }

                slos.Add(slo);
            }
        }

        if (slos.Count == 0 && errors.Count == before)
        {
            errors.Add(new SpecError(1, 1, "", "holds no SLO"));
        }

        return errors.Count > before ? null : slos;
    }

    private static SloSpec? ReadDocument(SpecMapping root, List<SpecError> errors)
    {
        string? api = root.String("apiVersion", required: true);
        if (api is not null && api != ManifestDocument.ApiVersion)
        {
            root.Error(root.Get("apiVersion"), "apiVersion", $"must be '{ManifestDocument.ApiVersion}', got '{api}'");
        }

        string? kind = root.String("kind", required: true);
        if (kind is not null && kind != SloSpec.Kind)
        {
            root.Error(root.Get("kind"), "kind", $"must be '{SloSpec.Kind}', got '{kind}'");
        }

        string? name = null;
        if (SpecMapping.From(root.Get("metadata"), root.Join("metadata"), errors) is { } metadata)
        {
            name = metadata.String("name", required: true);
            if (name is not null && !NamePattern().IsMatch(name))
            {
                metadata.Error(metadata.Get("name"), "name", $"'{name}' must be lower-case letters, digits and '-' (at most 63)");
            }

            metadata.String("displayName", required: false);
            metadata.RejectUnknown();
        }
        else
        {
            root.Error(null, "metadata", "is required");
        }

        var spec = SpecMapping.From(root.Get("spec"), root.Join("spec"), errors);
        root.RejectUnknown();
        if (spec is null)
        {
            root.Error(null, "spec", "is required");
            return null;
        }

        string? service = spec.String("service", required: true);
        string? description = spec.String("description", required: false);
        string? tenant = spec.String("tenant", required: false);
        string? lineOfBusiness = spec.String("lineOfBusiness", required: false);
        var indicator = ReadIndicator(spec, tenant, errors);
        var window = ReadTimeWindow(spec, errors);
        var method = ReadMethod(spec);
        var objectives = ReadObjectives(spec, indicator, method, errors);
        var alerting = ReadAlerting(spec, window, errors);
        spec.RejectUnknown();

        if (name is null || service is null || indicator is null || window is null || method is null || objectives is null)
        {
            return null;
        }

        return new SloSpec(name, service, description, indicator, window, method.Value, objectives, alerting, tenant, lineOfBusiness);
    }

    private static SliIndicator? ReadIndicator(SpecMapping spec, string? tenant, List<SpecError> errors)
    {
        if (SpecMapping.From(spec.Get("indicator"), spec.Join("indicator"), errors) is not { } indicator)
        {
            spec.Error(null, "indicator", "is required");
            return null;
        }

        // OpenSLO nests the indicator's own metadata and spec; the metadata is accepted and not used.
        indicator.Get("metadata");
        var body = SpecMapping.From(indicator.Get("spec"), indicator.Join("spec"), errors);
        indicator.RejectUnknown();
        if (body is null)
        {
            indicator.Error(null, "spec", "is required (ratioMetric, thresholdMetric or builtIn)");
            return null;
        }

        var ratioNode = body.Get("ratioMetric");
        var thresholdNode = body.Get("thresholdMetric");
        var builtInNode = body.Get("builtIn");
        body.RejectUnknown();
        int given = (ratioNode is null ? 0 : 1) + (thresholdNode is null ? 0 : 1) + (builtInNode is null ? 0 : 1);
        if (given != 1)
        {
            body.Error(null, "", "must give exactly one of ratioMetric, thresholdMetric or builtIn");
            return null;
        }

        if (builtInNode is not null)
        {
            return ReadBuiltIn(body, builtInNode, tenant, errors);
        }

        if (thresholdNode is not null)
        {
            string? query = ReadMetricSource(thresholdNode, body.Join("thresholdMetric"), errors);
            return query is null ? null : SliIndicator.Threshold(query);
        }

        if (SpecMapping.From(ratioNode, body.Join("ratioMetric"), errors) is not { } ratio)
        {
            return null;
        }

        var counter = ratio.Get("counter");
        if (counter is not null && counter is not YamlScalarNode { Value: "true" or "false" })
        {
            ratio.Error(counter, "counter", "must be true or false");
        }

        var goodNode = ratio.Get("good");
        var badNode = ratio.Get("bad");
        var totalNode = ratio.Get("total");
        ratio.Get("rawType");
        ratio.RejectUnknown();
        if ((goodNode is null) == (badNode is null))
        {
            ratio.Error(null, "", "must give exactly one of good or bad, with total");
            return null;
        }

        if (totalNode is null)
        {
            ratio.Error(null, "total", "is required");
            return null;
        }

        string? good = goodNode is null ? null : ReadMetricSource(goodNode, ratio.Join("good"), errors);
        string? bad = badNode is null ? null : ReadMetricSource(badNode, ratio.Join("bad"), errors);
        string? total = ReadMetricSource(totalNode, ratio.Join("total"), errors);
        return total is null || (good is null && bad is null) ? null : SliIndicator.Ratio(good, bad, total);
    }

    /// <summary>
    /// <c>builtIn: NAME</c>, or <c>builtIn: { name: NAME, threshold: 500ms }</c> for the latency SLIs, which need a threshold;
    /// the SLO's tenant narrows the counter to that tenant's events.
    /// </summary>
    private static SliIndicator? ReadBuiltIn(SpecMapping body, YamlNode node, string? tenant, List<SpecError> errors)
    {
        string? name;
        TimeSpan? threshold = null;
        YamlNode nameNode = node;
        if (node is YamlScalarNode scalar)
        {
            name = body.String("builtIn", required: true);
            nameNode = scalar;
        }
        else if (SpecMapping.From(node, body.Join("builtIn"), errors) is { } holder)
        {
            name = holder.String("name", required: true);
            nameNode = holder.Get("name") ?? node;
            threshold = holder.Duration("threshold", required: false, positive: true);
            bool thresholdGiven = holder.Get("threshold") is not null;
            holder.RejectUnknown();
            if (thresholdGiven && threshold is null)
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        if (name is null)
        {
            return null;
        }

        if (BuiltInSlis.Describe(name) is not { } sli)
        {
            body.Error(nameNode, "builtIn", $"'{name}' is not a NeoCloud indicator (known: {string.Join(", ", BuiltInSlis.Names)})");
            return null;
        }

        if (sli.TakesThreshold && threshold is null)
        {
            body.Error(node, "builtIn", $"'{name}' needs a latency threshold: builtIn: {{ name: {name}, threshold: 500ms }}");
            return null;
        }

        if (!sli.TakesThreshold && threshold is not null)
        {
            body.Error(node, "builtIn", $"'{name}' takes no threshold (only {string.Join(", ", BuiltInSlis.All.Where(s => s.TakesThreshold).Select(s => s.Name))} do)");
            return null;
        }

        return BuiltInSlis.Find(name, tenant, threshold);
    }

    /// <summary>A query: a plain string, or OpenSLO's <c>metricSource: { type: Prometheus, spec: { query } }</c>.</summary>
    private static string? ReadMetricSource(YamlNode node, string path, List<SpecError> errors)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } plain })
        {
            return plain;
        }

        if (SpecMapping.From(node, path, errors) is not { } holder)
        {
            return null;
        }

        var source = SpecMapping.From(holder.Get("metricSource"), holder.Join("metricSource"), errors);
        holder.RejectUnknown();
        if (source is null)
        {
            holder.Error(null, "metricSource", "is required");
            return null;
        }

        string? type = source.String("type", required: false);
        if (type is not null && !type.Equals("Prometheus", StringComparison.OrdinalIgnoreCase))
        {
            source.Error(source.Get("type"), "type", $"must be 'Prometheus' (the rules are Prometheus rules), got '{type}'");
        }

        source.Get("metricSourceRef");
        var sourceSpec = SpecMapping.From(source.Get("spec"), source.Join("spec"), errors);
        source.RejectUnknown();
        if (sourceSpec is null)
        {
            source.Error(null, "spec", "is required");
            return null;
        }

        string? query = sourceSpec.String("query", required: true);
        sourceSpec.RejectUnknown();
        return query;
    }

    private static SloTimeWindow? ReadTimeWindow(SpecMapping spec, List<SpecError> errors)
    {
        var node = spec.Get("timeWindow");
        if (node is null)
        {
            spec.Error(null, "timeWindow", "is required");
            return null;
        }

        string path = spec.Join("timeWindow");
        if (node is YamlSequenceNode list)
        {
            // OpenSLO writes timeWindow as a list of exactly one.
            if (list.Children.Count != 1)
            {
                spec.Error(node, "timeWindow", $"must hold exactly one window, found {list.Children.Count}");
                return null;
            }

            node = list.Children[0];
            path += "[0]";
        }

        if (SpecMapping.From(node, path, errors) is not { } window)
        {
            return null;
        }

        string? text = window.String("duration", required: true);
        bool rolling = Bool(window, "isRolling", fallback: true);
        string? start = null, zone = null;
        if (SpecMapping.From(window.Get("calendar"), window.Join("calendar"), errors) is { } calendar)
        {
            start = calendar.String("startTime", required: true);
            zone = calendar.String("timeZone", required: false, fallback: "UTC");
            calendar.RejectUnknown();
            if (rolling && window.Get("isRolling") is { } explicitRolling)
            {
                window.Error(explicitRolling, "isRolling", "must be false for a calendar window");
            }

            rolling = false;
        }

        window.RejectUnknown();
        if (text is null)
        {
            return null;
        }

        if (!TryParsePeriod(text, out var duration) || duration < TimeSpan.FromHours(1))
        {
            window.Error(window.Get("duration"), "duration", $"'{text}' is not a period of at least 1h such as 30d, 4w, 1M, 1Q or 1Y");
            return null;
        }

        return new SloTimeWindow(duration, text, rolling, start, zone);
    }

    /// <summary>
    /// OpenSLO periods: <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>, and the calendar units <c>M</c>, <c>Q</c>, <c>Y</c>, which count
    /// as 30, 90 and 365 days for the budget arithmetic (Prometheus rules can only look back a fixed range).
    /// </summary>
    internal static bool TryParsePeriod(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            int? days = text[^1] switch { 'w' => 7, 'M' => 30, 'Q' => 90, 'Y' => 365, _ => null };
            if (days is not null)
            {
                value = TimeSpan.FromDays((double)n * days.Value);
                return true;
            }
        }

        return SpecMapping.TryParseDuration(text, out value) && value > TimeSpan.Zero;
    }

    private static BudgetingMethod? ReadMethod(SpecMapping spec)
    {
        string? text = spec.String("budgetingMethod", required: false, fallback: nameof(BudgetingMethod.Occurrences));
        if (Enum.TryParse<BudgetingMethod>(text, ignoreCase: false, out var method) && Enum.IsDefined(method))
        {
            return method;
        }

        spec.Error(spec.Get("budgetingMethod"), "budgetingMethod", $"must be Occurrences, Timeslices or RatioTimeslices, got '{text}'");
        return null;
    }

    private static List<SloObjective>? ReadObjectives(SpecMapping spec, SliIndicator? indicator, BudgetingMethod? method, List<SpecError> errors)
    {
        var nodes = spec.Sequence("objectives", required: true);
        var objectives = new List<SloObjective>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool ok = nodes.Count > 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("objectives")}[{i}]", errors) is not { } o)
            {
                ok = false;
                continue;
            }

            string objectiveName = o.String("displayName", required: false) ?? (nodes.Count == 1 ? "default" : $"objective-{i}");
            if (!names.Add(objectiveName))
            {
                o.Error(o.Get("displayName"), "displayName", $"'{objectiveName}' names two objectives");
                ok = false;
            }

            var targetNode = o.Get("target");
            var percentNode = o.Get("targetPercent");
            decimal? target = null;
            if ((targetNode is null) == (percentNode is null))
            {
                o.Error(null, "target", "give exactly one of target (0 to 1) or targetPercent (0 to 100)");
            }
            else if (targetNode is not null)
            {
                target = Ratio(o, "target", targetNode, 1m);
            }
            else if (Ratio(o, "targetPercent", percentNode!, 100m) is { } percent)
            {
                target = percent / 100m;
            }

            var opText = o.String("op", required: false);
            ThresholdOperator? op = null;
            if (opText is not null)
            {
                if (Enum.TryParse<ThresholdOperator>(opText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && opText.All(char.IsLower))
                {
                    op = parsed;
                }
                else
                {
                    o.Error(o.Get("op"), "op", $"must be lt, lte, gt or gte, got '{opText}'");
                }
            }

            double? value = Number(o, "value");
            decimal? sliceTarget = o.Get("timeSliceTarget") is { } sliceNode ? Ratio(o, "timeSliceTarget", sliceNode, 1m) : null;
            var sliceWindow = o.Duration("timeSliceWindow", required: false, positive: true);
            o.RejectUnknown();

            if (indicator?.Kind == SliKind.Threshold && (op is null || value is null))
            {
                o.Error(null, "op", "a thresholdMetric objective needs op and value");
                ok = false;
            }
            else if (indicator?.Kind == SliKind.Ratio && (opText is not null || o.Get("value") is not null))
            {
                o.Error(o.Get("op") ?? o.Get("value"), "op", "op and value belong to a thresholdMetric indicator");
                ok = false;
            }

            if (method == BudgetingMethod.Timeslices && indicator?.Kind == SliKind.Ratio && sliceTarget is null)
            {
                o.Error(null, "timeSliceTarget", "is required with budgetingMethod Timeslices and a ratio indicator");
                ok = false;
            }

            if (target is null)
            {
                ok = false;
                continue;
            }

            objectives.Add(new SloObjective(objectiveName, target.Value, op, value, sliceTarget, sliceWindow));
        }

        return ok ? objectives : null;
    }

    private static SloAlerting ReadAlerting(SpecMapping spec, SloTimeWindow? window, List<SpecError> errors)
    {
        if (SpecMapping.From(spec.Get("alerting"), spec.Join("alerting"), errors) is not { } alerting)
        {
            return new SloAlerting(null, null);
        }

        double? minimum = Number(alerting, "minimumEvents");
        if (minimum is < 0)
        {
            alerting.Error(alerting.Get("minimumEvents"), "minimumEvents", "must be zero or more");
        }

        List<BurnRateWindow>? windows = null;
        if (alerting.Get("windows") is not null)
        {
            windows = [];
            var nodes = alerting.Sequence("windows", required: true);
            for (int i = 0; i < nodes.Count; i++)
            {
                if (SpecMapping.From(nodes[i], $"{alerting.Join("windows")}[{i}]", errors) is { } w && ReadWindow(w, window) is { } read)
                {
                    windows.Add(read);
                }
            }
        }

        alerting.RejectUnknown();
        return new SloAlerting(windows, minimum);
    }

    private static BurnRateWindow? ReadWindow(SpecMapping w, SloTimeWindow? period)
    {
        string? severityText = w.String("severity", required: true);
        AlertSeverity? severity = severityText switch { "page" => AlertSeverity.Page, "ticket" => AlertSeverity.Ticket, _ => null };
        if (severityText is not null && severity is null)
        {
            w.Error(w.Get("severity"), "severity", $"must be page or ticket, got '{severityText}'");
        }

        var longWindow = w.Duration("longWindow", required: true, positive: true);
        var shortWindow = w.Duration("shortWindow", required: true, positive: true);
        double? budgetPercent = Number(w, "budgetPercent");
        double? factor = Number(w, "factor");
        w.RejectUnknown();
        if ((budgetPercent is null) == (factor is null))
        {
            w.Error(null, "budgetPercent", "give exactly one of budgetPercent (share of the period's budget) or factor (burn rate)");
            return null;
        }

        if (budgetPercent is <= 0 or > 100 || factor is <= 0)
        {
            w.Error(w.Get(budgetPercent is null ? "factor" : "budgetPercent"), budgetPercent is null ? "factor" : "budgetPercent",
                "must be more than 0 (and a budget share at most 100)");
            return null;
        }

        if (longWindow is { } l && shortWindow is { } s && s >= l)
        {
            w.Error(w.Get("shortWindow"), "shortWindow", "must be shorter than longWindow");
            return null;
        }

        if (longWindow is { } lw && period is not null && lw > period.Duration)
        {
            w.Error(w.Get("longWindow"), "longWindow", $"must not be longer than the SLO period {period.Text}");
            return null;
        }

        if (severity is null || longWindow is null || shortWindow is null || period is null)
        {
            return null;
        }

        decimal percent = budgetPercent is { } p ? (decimal)p : BurnRatePolicy.BudgetPercent((decimal)factor!.Value, period.Duration, longWindow.Value);
        return new BurnRateWindow(severity.Value, percent, longWindow.Value, shortWindow.Value);
    }

    /// <summary>A ratio strictly inside (0, <paramref name="scale"/>): 1 (or 100%) would leave no budget at all.</summary>
    private static decimal? Ratio(SpecMapping o, string field, YamlNode node, decimal scale)
    {
        string? text = (node as YamlScalarNode)?.Value;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal value))
        {
            o.Error(node, field, $"must be a number, got '{text ?? node.NodeType.ToString()}'");
            return null;
        }

        if (value <= 0 || value >= scale)
        {
            o.Error(node, field, $"must be more than 0 and less than {scale.ToString(CultureInfo.InvariantCulture)}, got {text}");
            return null;
        }

        return value;
    }

    private static double? Number(SpecMapping m, string field)
    {
        var node = m.Get(field);
        if (node is null)
        {
            return null;
        }

        string? text = (node as YamlScalarNode)?.Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            m.Error(node, field, $"must be a number, got '{text ?? node.NodeType.ToString()}'");
            return null;
        }

        return value;
    }

    private static bool Bool(SpecMapping m, string field, bool fallback)
    {
        var node = m.Get(field);
        switch (node)
        {
            case null:
                return fallback;
            case YamlScalarNode { Value: "true" }:
                return true;
            case YamlScalarNode { Value: "false" }:
                return false;
            default:
                m.Error(node, field, "must be true or false");
                return fallback;
        }
    }
}
