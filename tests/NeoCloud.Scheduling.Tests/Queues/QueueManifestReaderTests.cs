using NeoCloud.Kernel.Manifests;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Tests.Queues;

public sealed class QueueManifestReaderTests
{
    private const string Good = """
        apiVersion: neocloud.dev/v1
        kind: Cohort
        metadata: { name: training }
        spec: { description: shared training capacity }
        ---
        apiVersion: neocloud.dev/v1
        kind: Queue
        metadata:
          name: research
        spec:
          tenant: acme
          cohort: training
          weight: 2
          priorityClasses: [high, normal]
          quotas:
            - flavour: H100-SXM5
              nominal: 64
              borrowingLimit: 32
              lendingLimit: 16
              guaranteed: 8
            - flavour: cpu
              nominal: 1024
            - flavour: memory
              nominal: 8192.5
        ---
        apiVersion: neocloud.dev/v1
        kind: Queue
        metadata: { name: inference }
        spec:
          tenant: globex
          quotas:
            - { flavour: A100-SXM4, nominal: 2.5 }
        """;

    [Fact]
    public void Cohorts_and_queues_are_read_from_one_stream_with_their_defaults()
    {
        var manifests = QueueManifestReader.Parse(Good);

        Assert.Equal([new CohortSpec("training", "shared training capacity")], manifests.Cohorts);
        Assert.Equal(2, manifests.Queues.Count);
        var research = manifests.Queues[0];
        Assert.Equal(("research", "acme", "training", 2.0), (research.Name, research.Tenant, research.Cohort, research.Weight));
        Assert.Equal(["high", "normal"], research.PriorityClasses!);
        Assert.Equal(new FlavourQuota("H100-SXM5", 64, 32, 16, 8), research.Quotas[0]);
        Assert.Equal(8192.5, research.Quotas[2].Nominal);
        var inference = manifests.Queues[1];
        Assert.Null(inference.Cohort);
        Assert.Equal(1, inference.Weight);
        Assert.Null(inference.PriorityClasses);
        Assert.Equal(2.5, inference.Quotas[0].GuaranteedOrNominal);
    }

    [Fact]
    public void A_json_document_is_read_like_yaml()
    {
        const string json = """
            {"apiVersion": "neocloud.dev/v1", "kind": "Queue", "metadata": {"name": "q1"},
             "spec": {"tenant": "acme", "quotas": [{"flavour": "H100-SXM5", "nominal": 0.5}]}}
            """;

        var queue = Assert.Single(QueueManifestReader.Parse(json).Queues);

        Assert.Equal(0.5, queue.Quotas[0].Nominal);
    }

    [Theory]
    [InlineData("apiVersion: neocloud.dev/v2", "apiVersion", "must be 'neocloud.dev/v1'")]
    [InlineData("kind: Queues", "kind", "must be 'Cohort' or 'Queue'")]
    [InlineData("metadata: { name: Research_1 }", "metadata.name", "lower-case DNS label")]
    [InlineData("metadata: { name: q, owner: me }", "metadata.owner", "is not a known field")]
    [InlineData("  tenant: acme\n  quotass: []", "spec.quotass", "did you mean 'quotas'")]
    [InlineData("  weight: 0", "spec.weight", "must be above 0")]
    [InlineData("  weight: heavy", "spec.weight", "must be a number, got 'heavy'")]
    [InlineData("  priorityClasses: high", "spec.priorityClasses", "must be a list")]
    [InlineData("    - { flavour: H100-SXM5 }", "spec.quotas[1].nominal", "is required")]
    [InlineData("    - { flavour: H100-SXM5, nominal: -1 }", "spec.quotas[1].nominal", "must be 0 or more, got -1")]
    [InlineData("    - { flavour: H100-SXM5, nominal: 4, lendingLimit: 5 }", "spec.quotas[1].lendingLimit", "must not exceed nominal (4), got 5")]
    [InlineData("    - { flavour: H100-SXM5, nominal: 4, guaranteed: 4.5 }", "spec.quotas[1].guaranteed", "must not exceed nominal (4), got 4.5")]
    [InlineData("    - { flavour: H100-SXM5, nominal: 4, borrowingLimit: 2 }", "spec.quotas[1].borrowingLimit", "needs the queue to be in a cohort")]
    [InlineData("    - { flavour: cpu, nominal: 4 }", "spec.quotas[1].flavour", "'cpu' is listed twice")]
    [InlineData("    - { flavour: H100-SXM5, nominal: 4, burst: 1 }", "spec.quotas[1].burst", "is not a known field")]
    public void Every_kind_of_error_names_its_field_and_line(string change, string path, string message)
    {
        var errors = Errors(Broken(change));

        var error = Assert.Single(errors, e => e.Path.EndsWith(path, StringComparison.Ordinal));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0 && error.Column > 0);
    }

    [Fact]
    public void Every_error_of_a_stream_is_listed_at_once_with_its_document()
    {
        const string yaml = """
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: a }
            spec: { quotas: [] }
            ---
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: a }
            spec: { tenant: t, quotas: [ { flavour: cpu, nominal: x } ] }
            """;

        var ex = Assert.Throws<QueueSpecException>(() => QueueManifestReader.Parse(yaml));

        Assert.Contains(ex.Errors, e => e.Path == "documents[0].spec.tenant" && e.Line == 4);
        Assert.Contains(ex.Errors, e => e.Path == "documents[0].spec.quotas" && e.Message.Contains("at least one", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "documents[1].metadata.name" && e.Message.Contains("declared twice", StringComparison.Ordinal) && e.Line == 8);
        Assert.Contains(ex.Errors, e => e.Path == "documents[1].spec.quotas[0].nominal" && e.Line == 9);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_yaml_and_an_empty_stream_are_rejected_with_a_position()
    {
        var broken = Errors("kind: [Queue");
        var empty = Errors("");

        Assert.Contains("not valid YAML", Assert.Single(broken).Message, StringComparison.Ordinal);
        Assert.Contains("no manifest", Assert.Single(empty).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_without_spec_is_rejected()
    {
        var errors = Errors("apiVersion: neocloud.dev/v1\nkind: Queue\nmetadata: { name: q }\n");

        Assert.Contains(errors, e => e.Path == "spec" && e.Message == "is required");
    }

    private static List<SpecError> Errors(string yaml)
    {
        var errors = new List<SpecError>();
        Assert.Null(QueueManifestReader.TryParse(yaml, errors));
        Assert.NotEmpty(errors);
        return errors;
    }

    /// <summary>A valid single queue with one line replaced or added, so each case breaks exactly one thing.</summary>
    private static string Broken(string change)
    {
        var lines = new List<string>
        {
            "apiVersion: neocloud.dev/v1",
            "kind: Queue",
            "metadata: { name: q }",
            "spec:",
            "  tenant: acme",
            "  quotas:",
            "    - { flavour: cpu, nominal: 4 }",
        };
        string key = change.TrimStart().Split(':')[0];
        int same = change.StartsWith("    - ", StringComparison.Ordinal) ? -1 : lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal) && l.Length - l.TrimStart().Length == change.Length - change.TrimStart().Length);
        if (same >= 0)
        {
            lines[same] = change;
        }
        else if (change.StartsWith("    - ", StringComparison.Ordinal))
        {
            lines.Add(change);
        }
        else
        {
            lines.Insert(5, change);
        }

        return string.Join('\n', lines);
    }
}
