using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Scheduling.Topology;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Workloads.Specs;

/// <summary>
/// Reads <c>kind: Job</c> and <c>kind: Service</c> manifests (YAML, or JSON, which is YAML too), one or a stream of
/// several separated by <c>---</c>. A bad stream is rejected whole, with every problem of every document listed by line,
/// column and field; nothing is half-read.
/// </summary>
public static partial class WorkloadSpecReader
{
    public const string JobKind = "Job";
    public const string ServiceKind = "Service";

    private const int MaxReplicas = 10_000;
    private const int MaxIdempotencyKeyLength = 200;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private static readonly Dictionary<string, TopologyLevel> Levels = new(StringComparer.Ordinal)
    {
        ["nvlinkDomain"] = TopologyLevel.NvlinkDomain,
        ["node"] = TopologyLevel.Node,
        ["leaf"] = TopologyLevel.Leaf,
        ["block"] = TopologyLevel.Block,
        ["site"] = TopologyLevel.Site,
    };

    private static readonly Dictionary<string, SpreadDomain> Spreads = new(StringComparer.Ordinal)
    {
        ["node"] = SpreadDomain.Node,
        ["rack"] = SpreadDomain.Rack,
        ["leaf"] = SpreadDomain.Leaf,
        ["site"] = SpreadDomain.Site,
    };

    /// <summary>Reads every document of a stream; throws <see cref="WorkloadSpecException"/> listing every problem.</summary>
    public static IReadOnlyList<WorkloadSpec> ParseAll(string text)
    {
        var errors = new List<SpecError>();
        var specs = TryParseAll(text, errors);
        if (errors.Count > 0)
        {
            throw new WorkloadSpecException(errors);
        }

        return specs;
    }

    /// <summary>Reads a manifest holding exactly one job.</summary>
    public static JobSpec ParseJob(string text)
    {
        var specs = ParseAll(text);
        return specs is [JobSpec job]
            ? job
            : throw new WorkloadSpecException([new SpecError(1, 1, "", $"must hold exactly one {JobKind}, found {Describe(specs)}")]);
    }

    /// <summary>Reads a manifest holding exactly one service.</summary>
    public static ServiceSpec ParseService(string text)
    {
        var specs = ParseAll(text);
        return specs is [ServiceSpec service]
            ? service
            : throw new WorkloadSpecException([new SpecError(1, 1, "", $"must hold exactly one {ServiceKind}, found {Describe(specs)}")]);
    }

    /// <summary>Reads every document it can, adding each problem to <paramref name="errors"/>; the result is complete only when no error was added.</summary>
    public static IReadOnlyList<WorkloadSpec> TryParseAll(string text, List<SpecError> errors)
    {
        if (ManifestDocument.LoadStream(text, errors) is not { } stream)
        {
            return [];
        }

        var specs = new List<WorkloadSpec>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                // An empty document, as a trailing '---' leaves.
                continue;
            }

            var spec = ReadDocument(document.RootNode, errors);
            if (spec is not null)
            {
                specs.Add(spec);
            }
        }

        if (specs.Count == 0 && errors.Count == 0)
        {
            errors.Add(new SpecError(1, 1, "", $"holds no {JobKind} or {ServiceKind} document"));
        }

        return errors.Count == 0 ? specs : [];
    }

    private static string Describe(IReadOnlyList<WorkloadSpec> specs) =>
        specs.Count == 0 ? "none"
        : string.Join(", ", specs.GroupBy(s => s is JobSpec ? JobKind : ServiceKind).Select(g => $"{g.Count()} {g.Key}"));

    private static WorkloadSpec? ReadDocument(YamlNode node, List<SpecError> errors)
    {
        var root = SpecMapping.From(node, "", errors);
        if (root is null)
        {
            return null;
        }

        string? api = root.String("apiVersion", required: true);
        if (api is not null && api != ManifestDocument.ApiVersion)
        {
            root.Error(root.Get("apiVersion"), "apiVersion", $"must be '{ManifestDocument.ApiVersion}', got '{api}'");
        }

        string? kind = root.String("kind", required: true);
        if (kind is not null and not (JobKind or ServiceKind))
        {
            root.Error(root.Get("kind"), "kind", $"must be '{JobKind}' or '{ServiceKind}', got '{kind}'");
        }

        var metadata = SpecMapping.From(root.Get("metadata"), "metadata", errors);
        var spec = SpecMapping.From(root.Get("spec"), "spec", errors);
        root.RejectUnknown();
        if (metadata is null)
        {
            root.Error(null, "metadata", "is required");
        }

        if (spec is null)
        {
            root.Error(null, "spec", "is required");
        }

        string name = "";
        string tenant = "";
        if (metadata is not null)
        {
            name = Label(metadata, "name") ?? "";
            tenant = Label(metadata, "tenant") ?? "";
            metadata.RejectUnknown();
        }

        if (spec is null || kind is not (JobKind or ServiceKind))
        {
            return null;
        }

        int before = errors.Count;
        WorkloadSpec result = kind == JobKind
            ? ReadJob(spec, name, new TenantId(tenant), errors)
            : ReadService(spec, name, new TenantId(tenant), errors);
        return errors.Count == before ? result : null;
    }

    private static JobSpec ReadJob(SpecMapping spec, string name, TenantId tenant, List<SpecError> errors)
    {
        string queue = Label(spec, "queue") ?? "";
        int replicas = spec.Int("replicas", 1, MaxReplicas, 1);
        var resources = ReadResources(spec, errors);
        var topology = ReadTopology(spec);
        var priority = ReadPriority(spec);
        var limit = spec.Duration("runtimeLimit", required: false, positive: true);
        var estimate = spec.Duration("runtimeEstimate", required: false, positive: true);
        var checkpoint = spec.Duration("checkpointInterval", required: false, positive: true);
        int retryBudget = spec.Int("retryBudget", 0, 100, 3);
        var minRuntime = spec.Duration("minRuntime", required: false);
        string? key = spec.String("idempotencyKey", required: false);
        var run = ReadRun(spec, errors);
        spec.RejectUnknown();

        if (key is { Length: > MaxIdempotencyKeyLength })
        {
            spec.Error(spec.Get("idempotencyKey"), "idempotencyKey", $"must be at most {MaxIdempotencyKeyLength} characters, got {key.Length}");
        }

        if (limit is not null && estimate is not null && estimate > limit)
        {
            spec.Error(spec.Get("runtimeEstimate"), "runtimeEstimate", $"({Format(estimate.Value)}) must not exceed runtimeLimit ({Format(limit.Value)})");
        }

        if (limit is not null && minRuntime is not null && minRuntime > limit)
        {
            spec.Error(spec.Get("minRuntime"), "minRuntime", $"({Format(minRuntime.Value)}) must not exceed runtimeLimit ({Format(limit.Value)})");
        }

        if (limit is not null && checkpoint is not null && checkpoint > limit)
        {
            spec.Error(spec.Get("checkpointInterval"), "checkpointInterval", $"({Format(checkpoint.Value)}) must not exceed runtimeLimit ({Format(limit.Value)}): no checkpoint would ever be written");
        }

        if (resources.IsFractional && topology.Any(t => t.Level == TopologyLevel.NvlinkDomain))
        {
            // A GPU share (MIG instance or time slice) has no NVLink peers: asking for an NVLink domain cannot be honoured.
            spec.Error(spec.Get("topology"), "topology.nvlinkDomain", "cannot be asked for by replicas that take a share of one GPU (a GPU share has no NVLink peers)");
        }

        if (resources.IsFractional && replicas > 1 && topology.Any(t => t is { Level: TopologyLevel.Node, Mode: TopologyMode.Required }))
        {
            // Replicas of a gang are placed one per node; several on one node would have to share a GPU between members.
            spec.Error(spec.Get("topology"), "topology.node", $"cannot be required by a gang of {replicas} replicas: each replica takes its own node");
        }

        if (!priority.Preemptible && minRuntime is not null)
        {
            spec.Error(spec.Get("minRuntime"), "minRuntime", $"has no meaning for priority class '{priority.Name}': it is never preempted");
        }

        return new JobSpec(
            name, tenant, new QueueId(queue), replicas, resources, topology, priority, limit, estimate, checkpoint, retryBudget,
            minRuntime ?? priority.DefaultMinRuntime, key, run);
    }

    private static ServiceSpec ReadService(SpecMapping spec, string name, TenantId tenant, List<SpecError> errors)
    {
        string queue = Label(spec, "queue") ?? "";
        int min = 1;
        int max = 1;
        var replicas = SpecMapping.From(spec.Get("replicas"), "spec.replicas", errors);
        if (replicas is null)
        {
            spec.Error(null, "replicas", "is required: a mapping with min and max");
        }
        else
        {
            min = replicas.Int("min", 0, MaxReplicas, null);
            max = replicas.Int("max", 1, MaxReplicas, null);
            replicas.RejectUnknown();
            if (min > max)
            {
                replicas.Error(replicas.Get("min"), "min", $"({min}) must not exceed max ({max})");
            }
        }

        var resources = ReadResources(spec, errors);
        string spreadText = spec.String("spreadAcross", required: false, "node")!;
        if (!Spreads.TryGetValue(spreadText, out var spread))
        {
            spec.Error(spec.Get("spreadAcross"), "spreadAcross", $"must be one of {string.Join(", ", Spreads.Keys)}, got '{spreadText}'{Suggest(spreadText, Spreads.Keys)}");
        }

        var priority = ReadPriority(spec);
        var run = ReadRun(spec, errors);
        spec.RejectUnknown();
        return new ServiceSpec(name, tenant, new QueueId(queue), min, max, resources, spread, priority, run);
    }

    private static ReplicaResources ReadResources(SpecMapping spec, List<SpecError> errors)
    {
        var map = SpecMapping.From(spec.Get("resources"), "spec.resources", errors);
        if (map is null)
        {
            spec.Error(null, "resources", "is required: what each replica needs (gpus, gpuTypes, cpu, memory)");
            return new ReplicaResources(0, 0, null, [], 0, 0);
        }

        var types = new List<string>();
        var typeNodes = map.Sequence("gpuTypes", required: false);
        for (int i = 0; i < typeNodes.Count; i++)
        {
            string? text = (typeNodes[i] as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(text))
            {
                map.Error(typeNodes[i], $"gpuTypes[{i}]", "must be a GPU type name");
            }
            else if (!GpuTypeNames.TryResolve(text, out string sku))
            {
                map.Error(typeNodes[i], $"gpuTypes[{i}]",
                    $"unknown GPU type '{text}'{Suggest(text, GpuTypeNames.Names)}; known: {string.Join(", ", GpuTypeNames.Known)}");
            }
            else if (!types.Contains(sku))
            {
                types.Add(sku);
            }
        }

        var (count, milli, profile) = ReadGpus(map);
        if (profile is not null)
        {
            var unsupported = types.Where(t => !GpuTypeNames.Supports(t, profile)).ToList();
            var supporting = GpuTypeNames.Supporting(profile);
            if (supporting.Count == 0)
            {
                map.Error(map.Get("gpus"), "gpus", $"MIG profile '{profile}' is offered by no known GPU type");
            }
            else if (unsupported.Count > 0)
            {
                map.Error(map.Get("gpuTypes"), "gpuTypes",
                    $"{string.Join(", ", unsupported)} {(unsupported.Count == 1 ? "does" : "do")} not offer MIG profile '{profile}' (offered by {string.Join(", ", supporting)})");
            }
            else if (types.Count == 0)
            {
                // A MIG profile pins the GPU models: only those that offer it can host the replica.
                types.AddRange(supporting);
            }
        }

        int cpuMilli = Quantity(map, "cpu", 1000, "cores");
        int memoryMib = Quantity(map, "memory", 1024, "GiB");
        map.RejectUnknown();
        return new ReplicaResources(count, milli, profile, types, cpuMilli, memoryMib);
    }

    /// <summary>Reads <c>gpus</c>: absent (no GPU), a whole number, a fraction of one GPU (0.5), or a MIG profile (1g.10gb).</summary>
    private static (int Count, int Milli, string? Profile) ReadGpus(SpecMapping map)
    {
        var node = map.Get("gpus");
        if (node is null)
        {
            return (0, 0, null);
        }

        string text = (node as YamlScalarNode)?.Value ?? "";
        if (MigShare.TryParse(text, out _, out int migMilli))
        {
            return (1, migMilli, text.ToLowerInvariant());
        }

        if (MigShare.LooksLikeProfile(text))
        {
            map.Error(node, "gpus", $"'{text}' is not a MIG profile: write <slices>g.<memory>gb with 1-7 slices, e.g. 1g.10gb or 3g.40gb");
            return (0, 0, null);
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal gpus))
        {
            map.Error(node, "gpus", $"must be a number of GPUs (8), a share of one GPU (0.5) or a MIG profile (1g.10gb), got '{text}'");
            return (0, 0, null);
        }

        if (gpus <= 0)
        {
            map.Error(node, "gpus", $"must be positive, got {text} (leave gpus out for a replica without GPUs)");
            return (0, 0, null);
        }

        if (gpus > 1 && gpus != decimal.Truncate(gpus))
        {
            map.Error(node, "gpus", $"a fractional GPU share must be at most 1, got {text}: ask for whole GPUs, or for a share of one");
            return (0, 0, null);
        }

        if (gpus >= 1)
        {
            if (gpus > 1024)
            {
                map.Error(node, "gpus", $"must be at most 1024 per replica, got {text}");
                return (0, 0, null);
            }

            return ((int)gpus, 1000, null);
        }

        decimal milli = gpus * 1000;
        if (milli != decimal.Truncate(milli))
        {
            map.Error(node, "gpus", $"a GPU share is counted in thousandths of a GPU, got {text}");
            return (0, 0, null);
        }

        return (1, (int)milli, null);
    }

    /// <summary>Reads a positive amount (cores, GiB) into whole thousandths or MiB.</summary>
    private static int Quantity(SpecMapping map, string key, int scale, string unit)
    {
        var node = map.Get(key);
        if (node is null)
        {
            map.Error(null, key, $"is required (in {unit})");
            return 0;
        }

        string text = (node as YamlScalarNode)?.Value ?? "";
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal value))
        {
            map.Error(node, key, $"must be a number of {unit}, got '{text}'");
            return 0;
        }

        if (value <= 0)
        {
            map.Error(node, key, $"must be positive, got {text}");
            return 0;
        }

        decimal scaled = decimal.Round(value * scale);
        if (scaled > int.MaxValue / 2)
        {
            map.Error(node, key, $"is too large: {text} {unit}");
            return 0;
        }

        return Math.Max(1, (int)scaled);
    }

    private static List<TopologyRequirement> ReadTopology(SpecMapping spec)
    {
        var requirements = new List<TopologyRequirement>();
        var node = spec.Get("topology");
        if (node is null)
        {
            return requirements;
        }

        if (node is not YamlMappingNode map)
        {
            spec.Error(node, "topology", "must be a mapping of level (nvlinkDomain, node, leaf, block, site) to required or preferred");
            return requirements;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            string level = (keyNode as YamlScalarNode)?.Value ?? "";
            string mode = (valueNode as YamlScalarNode)?.Value ?? "";
            bool known = Levels.TryGetValue(level, out var topologyLevel);
            if (!known)
            {
                spec.Error(keyNode, $"topology.{level}", $"is not a topology level{Suggest(level, Levels.Keys)}; levels: {string.Join(", ", Levels.Keys)}");
            }

            TopologyMode? topologyMode = mode switch
            {
                "required" => TopologyMode.Required,
                "preferred" => TopologyMode.Preferred,
                _ => null,
            };
            if (topologyMode is null)
            {
                spec.Error(valueNode, $"topology.{level}", $"must be 'required' or 'preferred', got '{mode}'{Suggest(mode, ["required", "preferred"])}");
            }

            if (known && topologyMode is not null)
            {
                requirements.Add(new TopologyRequirement(topologyLevel, topologyMode.Value));
            }
        }

        return [.. requirements.OrderBy(r => r.Level)];
    }

    private static PriorityClass ReadPriority(SpecMapping spec)
    {
        string name = spec.String("priorityClass", required: false, PriorityClasses.Default.Name)!;
        if (PriorityClasses.TryGet(name, out var priority))
        {
            return priority;
        }

        var names = PriorityClasses.All.Select(p => p.Name).ToList();
        spec.Error(spec.Get("priorityClass"), "priorityClass", $"unknown priority class '{name}'{Suggest(name, names)}; known: {string.Join(", ", names)}");
        return PriorityClasses.Default;
    }

    private static RunSpec ReadRun(SpecMapping spec, List<SpecError> errors)
    {
        var map = SpecMapping.From(spec.Get("run"), "spec.run", errors);
        if (map is null)
        {
            return RunSpec.None;
        }

        string? image = map.String("image", required: false);
        var command = Strings(map, "command");
        var args = Strings(map, "args");
        var env = Env(map);
        map.RejectUnknown();
        return new RunSpec(image, command, args, env);
    }

    /// <summary>The environment: a map of text values; keys keep their order of appearance.</summary>
    private static Dictionary<string, string> Env(SpecMapping map)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (map.Get("env"))
        {
            case null:
                break;
            case YamlMappingNode entries:
                foreach (var (keyNode, valueNode) in entries.Children)
                {
                    string key = (keyNode as YamlScalarNode)?.Value ?? "";
                    if (key.Length == 0)
                    {
                        map.Error(keyNode, "env", "a variable needs a name");
                    }
                    else if (valueNode is YamlScalarNode { Value: { } value })
                    {
                        env[key] = value;
                    }
                    else
                    {
                        map.Error(valueNode, $"env.{key}", "must be a text value");
                    }
                }

                break;
            case var other:
                map.Error(other, "env", "must be a map of names to text values");
                break;
        }

        return env;
    }

    /// <summary>A list of strings, or one string taken as a one-entry list.</summary>
    private static List<string> Strings(SpecMapping map, string key)
    {
        var node = map.Get(key);
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode { Value: { } single }:
                return [single];
            case YamlSequenceNode seq:
                var values = new List<string>();
                for (int i = 0; i < seq.Children.Count; i++)
                {
                    if (seq.Children[i] is YamlScalarNode { Value: { } v })
                    {
                        values.Add(v);
                    }
                    else
                    {
                        map.Error(seq.Children[i], $"{key}[{i}]", "must be a text value");
                    }
                }

                return values;
            default:
                map.Error(node, key, "must be a text value or a list of them");
                return [];
        }
    }

    private static string? Label(SpecMapping map, string key)
    {
        string? value = map.String(key, required: true);
        if (value is not null && !DnsLabel().IsMatch(value))
        {
            map.Error(map.Get(key), key, $"'{value}' must be 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit");
            return null;
        }

        return value;
    }

    private static string Suggest(string text, IEnumerable<string> known)
    {
        string? near = known.Where(k => Distance(k, text) <= Math.Max(2, k.Length / 3)).OrderBy(k => Distance(k, text)).FirstOrDefault();
        return near is null ? "" : $"; did you mean '{near}'?";
    }

    private static string Format(TimeSpan span) => span.ToString(span.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
