using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Manifests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// Reads a stream of <c>kind: Cohort</c> and <c>kind: Queue</c> manifests (YAML documents separated by <c>---</c>, or
/// JSON); a bad stream is rejected whole with every error's line, column and field path, unknown fields included.
/// </summary>
public static partial class QueueManifestReader
{
    public const string CohortKind = "Cohort";
    public const string QueueKind = "Queue";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static QueueManifests Parse(string yaml)
    {
        var errors = new List<SpecError>();
        var manifests = TryParse(yaml, errors);
        if (errors.Count > 0 || manifests is null)
        {
            throw new QueueSpecException(errors);
        }

        return manifests;
    }

    public static QueueManifests ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the stream; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static QueueManifests? TryParse(string yaml, List<SpecError> errors)
    {
        // ManifestDocument reads exactly one document of one kind; a stream mixes kinds, so the envelope is checked
        // here per document with the same SpecMapping rules (same messages, same line and column reporting).
        if (ManifestDocument.LoadStream(yaml, errors) is not { } stream)
        {
            return null;
        }

        var cohorts = new List<CohortSpec>();
        var queues = new List<QueueSpec>();
        var cohortNames = new HashSet<string>(StringComparer.Ordinal);
        var queueNames = new HashSet<string>(StringComparer.Ordinal);
        int documents = 0;
        for (int d = 0; d < stream.Documents.Count; d++)
        {
            var rootNode = stream.Documents[d].RootNode;
            if (rootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between two separators
            }

            documents++;
            string prefix = stream.Documents.Count == 1 ? "" : $"documents[{d}]";
            var root = SpecMapping.From(rootNode, prefix, errors);
            if (root is null)
            {
                continue;
            }

            string? api = root.String("apiVersion", required: true);
            if (api is not null && api != ManifestDocument.ApiVersion)
            {
                root.Error(root.Get("apiVersion"), "apiVersion", $"must be '{ManifestDocument.ApiVersion}', got '{api}'");
            }

            string? kind = root.String("kind", required: true);
            if (kind is not null && kind is not (CohortKind or QueueKind))
            {
                root.Error(root.Get("kind"), "kind", $"must be '{CohortKind}' or '{QueueKind}', got '{kind}'");
            }

            var metadata = SpecMapping.From(root.Get("metadata"), root.Join("metadata"), errors);
            string? name = null;
            if (metadata is null)
            {
                root.Error(null, "metadata", "is required");
            }
            else
            {
                name = metadata.String("name", required: true);
                if (name is not null && !NamePattern().IsMatch(name))
                {
                    metadata.Error(metadata.Get("name"), "name", $"'{name}' must be a lower-case DNS label (a-z, 0-9 and '-', at most 63 characters)");
                }

                metadata.RejectUnknown();
            }

            var specNode = root.Get("spec");
            var spec = SpecMapping.From(specNode, root.Join("spec"), errors);
            root.RejectUnknown();
            if (kind == CohortKind)
            {
                string? description = spec?.String("description", required: false);
                spec?.RejectUnknown();
                if (name is not null)
                {
                    if (!cohortNames.Add(name))
                    {
                        metadata!.Error(metadata.Get("name"), "name", $"cohort '{name}' is declared twice");
                    }

                    cohorts.Add(new CohortSpec(name, description));
                }
            }
            else if (kind == QueueKind)
            {
                if (spec is null)
                {
                    if (specNode is null)
                    {
                        root.Error(null, "spec", "is required");
                    }

                    continue;
                }

                var queue = ReadQueue(name ?? "queue", spec, errors);
                if (name is not null)
                {
                    if (!queueNames.Add(name))
                    {
                        metadata!.Error(metadata.Get("name"), "name", $"queue '{name}' is declared twice");
                    }

                    queues.Add(queue);
                }
            }
        }

        if (documents == 0)
        {
            errors.Add(new SpecError(1, 1, "", "holds no manifest: expected at least one Cohort or Queue document"));
        }

        return errors.Count == 0 ? new QueueManifests(cohorts, queues) : null;
    }

    private static QueueSpec ReadQueue(string name, SpecMapping spec, List<SpecError> errors)
    {
        string tenant = spec.String("tenant", required: true) ?? "";
        string? cohort = spec.String("cohort", required: false);
        double weight = Number(spec, "weight", 1, positive: true, required: false) ?? 1;
        List<string>? classes = null;
        if (spec.Get("priorityClasses") is not null)
        {
            classes = [];
            foreach (var item in spec.Sequence("priorityClasses", required: true))
            {
                if (item is YamlScalarNode { Value: { Length: > 0 } value })
                {
                    classes.Add(value);
                }
                else
                {
                    errors.Add(new SpecError(SpecMapping.Line(item), SpecMapping.Column(item), spec.Join("priorityClasses"), "every entry must be a priority class name"));
                }
            }
        }

        var quotas = new List<FlavourQuota>();
        var flavours = new HashSet<string>(StringComparer.Ordinal);
        var quotaNodes = spec.Sequence("quotas", required: true);
        spec.RejectUnknown();
        for (int i = 0; i < quotaNodes.Count; i++)
        {
            var q = SpecMapping.From(quotaNodes[i], spec.Join($"quotas[{i}]"), errors);
            if (q is null)
            {
                continue;
            }

            string? flavour = q.String("flavour", required: true);
            if (flavour is not null && !flavours.Add(flavour))
            {
                q.Error(q.Get("flavour"), "flavour", $"'{flavour}' is listed twice in this queue");
            }

            double nominal = Number(q, "nominal", null, positive: false, required: true) ?? 0;
            double? borrowing = Number(q, "borrowingLimit", null, positive: false, required: false);
            double? lending = Number(q, "lendingLimit", null, positive: false, required: false);
            double? guaranteed = Number(q, "guaranteed", null, positive: false, required: false);
            if (borrowing is not null && cohort is null)
            {
                q.Error(q.Get("borrowingLimit"), "borrowingLimit", "needs the queue to be in a cohort (spec.cohort): there is nobody to borrow from");
            }

            if (lending is { } l && l > nominal)
            {
                q.Error(q.Get("lendingLimit"), "lendingLimit", $"must not exceed nominal ({Text(nominal)}), got {Text(l)}");
            }

            if (guaranteed is { } g && g > nominal)
            {
                q.Error(q.Get("guaranteed"), "guaranteed", $"must not exceed nominal ({Text(nominal)}), got {Text(g)}");
            }

            q.RejectUnknown();
            if (flavour is not null)
            {
                quotas.Add(new FlavourQuota(flavour, nominal, borrowing, lending, guaranteed));
            }
        }

        return new QueueSpec(name, tenant, cohort, weight, classes, quotas);
    }

    /// <summary>Reads a non-negative (or, with <paramref name="positive"/>, positive) number.</summary>
    private static double? Number(SpecMapping map, string key, double? fallback, bool positive, bool required)
    {
        var value = map.Get(key);
        if (value is null)
        {
            if (required)
            {
                map.Error(null, key, "is required");
            }

            return fallback;
        }

        string? text = (value as YamlScalarNode)?.Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || !double.IsFinite(n))
        {
            map.Error(value, key, $"must be a number, got '{text ?? value.NodeType.ToString()}'");
            return fallback;
        }

        if (n < 0 || (positive && n == 0))
        {
            map.Error(value, key, $"must be {(positive ? "above 0" : "0 or more")}, got {Text(n)}");
            return fallback;
        }

        return n;
    }

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
