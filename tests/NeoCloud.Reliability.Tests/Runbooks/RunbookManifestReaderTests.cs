using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookManifestReaderTests
{
    private static IReadOnlyList<SpecError> Errors(string yaml)
    {
        var errors = new List<SpecError>();
        Assert.Null(RunbookManifestReader.TryParse(yaml, errors));
        return errors;
    }

    [Fact]
    public void A_runbook_reads_its_parameters_triggers_and_steps()
    {
        var runbook = SampleRunbooks.Drain;

        Assert.Equal("drain-node", runbook.Name);
        Assert.Equal(["node", "level"], runbook.Parameters.Select(p => p.Name));
        Assert.True(runbook.Parameters[0].Required);
        Assert.Equal("r1", runbook.Parameters[1].Default);
        var trigger = Assert.Single(runbook.Triggers);
        Assert.Equal(["alertname=\"node-down\"", "severity=~\"page|critical\""], trigger.Matchers.Select(m => m.ToString()));
        Assert.Equal("{{ .labels.node }}", trigger.Parameters["node"]);
        Assert.Equal([RunbookAction.Query, RunbookAction.Cordon, RunbookAction.Drain, RunbookAction.RunDiagnostics], runbook.Steps.Select(s => s.Action));
        Assert.Equal(64, runbook.ManifestHash.Length);
    }

    [Fact]
    public void Destructive_steps_need_approval_by_default_and_the_others_do_not()
    {
        var approvals = SampleRunbooks.Drain.Steps.ToDictionary(s => s.Name, s => s.Approval);

        Assert.Equal(ApprovalPolicy.None, approvals["look"]);
        Assert.Equal(ApprovalPolicy.None, approvals["cordon"]);
        Assert.Equal(ApprovalPolicy.Required, approvals["drain"]);
        Assert.Equal(ApprovalPolicy.Required, approvals["diagnose"]);
    }

    [Fact]
    public void A_step_may_waive_approval_and_continue_after_a_failure_with_its_own_timeout()
    {
        var runbook = RunbookManifestReader.Parse(SampleRunbooks.DrainYaml.Replace(
            "action: drain\n", "action: drain\n      approval: none\n      onFailure: continue\n      timeout: 10m\n", StringComparison.Ordinal));

        var drain = runbook.Steps.Single(s => s.Name == "drain");
        Assert.Equal(ApprovalPolicy.None, drain.Approval);
        Assert.Equal(FailurePolicy.Continue, drain.OnFailure);
        Assert.Equal(TimeSpan.FromMinutes(10), drain.Timeout);
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_line_and_column()
    {
        var errors = Errors("""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata:
              name: broken
            spec:
              parameters:
                - name: node
                  required: true
              steps:
                - name: one
                  action: reboot
                  with: { node: "{{ .params.node }}" }
                - name: two
                  action: drain
                  with: { node: "{{ .params.nod }}" }
                - name: three
                  action: cordon
                  with: { host: x }
                  approval: maybe
            """);

        Assert.Contains(errors, e => e is { Line: 11, Column: 15, Path: "spec.steps[0].action" } && e.Message.Contains("'reboot' is not an action", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 15, Column: 21, Path: "spec.steps[1].with.node" } && e.Message.Contains("unknown variable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 18, Path: "spec.steps[2].with.host" } && e.Message.Contains("not an argument of cordon", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.steps[2].with" && e.Message.Contains("needs the argument 'node'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 19, Path: "spec.steps[2].approval" });
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Alert_labels_in_a_runbook_no_alert_triggers_are_an_unknown_variable()
    {
        var errors = Errors("""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata: { name: manual }
            spec:
              steps:
                - name: one
                  action: notify
                  with: { message: "node {{ .labels.node }} is down" }
            """);

        var error = Assert.Single(errors);
        Assert.Equal((8, 24, "spec.steps[0].with.message"), (error.Line, error.Column, error.Path));
        Assert.Contains("no trigger", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ .params.node", "has no closing")]
    [InlineData("{{ node }}", "is not a variable")]
    [InlineData("{{ .env.HOME }}", "is not a variable")]
    [InlineData("{{ .params.node | upper }}", "is not a variable")]
    public void A_malformed_template_is_an_error_saying_what_is_allowed(string template, string message)
    {
        var errors = Errors($$"""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata: { name: templates }
            spec:
              parameters: [{ name: node, required: true }]
              steps:
                - name: one
                  action: cordon
                  with: { node: "{{template}}" }
            """);

        Assert.Contains(message, Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trigger_binds_only_declared_parameters_and_only_from_labels_and_its_matchers_must_parse()
    {
        var errors = Errors("""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata: { name: triggers }
            spec:
              parameters: [{ name: node, required: true }]
              triggers:
                - matchers: ['alertname', 'severity="page"']
                  parameters: { host: "{{ .labels.node }}", node: "{{ .params.node }}" }
              steps:
                - { name: one, action: cordon, with: { node: "{{ .params.node }}" } }
            """);

        Assert.Contains(errors, e => e is { Line: 7, Path: "spec.triggers[0].matchers" } && e.Message.Contains("not a matcher", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.triggers[0].parameters.host" && e.Message.Contains("not a declared parameter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.triggers[0].parameters.node" && e.Message.Contains("labels only", StringComparison.Ordinal));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Misspelt_fields_duplicate_names_and_bad_literal_arguments_are_refused()
    {
        var errors = Errors("""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata: { name: Bad_Name }
            spec:
              parameters:
                - { name: node, required: true, default: x }
                - { name: node }
              steps:
                - { name: wait, action: wait, with: { for: soon }, timout: 1m }
                - { name: wait, action: run-diagnostics, with: { node: n1, level: r9 } }
                - { name: ask, action: query, with: { node: n1, job: j1 } }
            """);

        Assert.Contains(errors, e => e.Path == "metadata.name");
        Assert.Contains(errors, e => e.Path == "spec.parameters[0].default");
        Assert.Contains(errors, e => e.Path == "spec.parameters[1].name" && e.Message.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.steps[0].with.for");
        Assert.Contains(errors, e => e.Path == "spec.steps[0].timout" && e.Message.Contains("did you mean 'timeout'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.steps[1].name" && e.Message.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.steps[1].with.level");
        Assert.Contains(errors, e => e.Path == "spec.steps[2].with" && e.Message.Contains("exactly one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_throws_with_every_error_in_its_message()
    {
        var ex = Assert.Throws<RunbookSpecException>(() => RunbookManifestReader.Parse("apiVersion: neocloud.dev/v1\nkind: SLO\nmetadata: { name: x }\nspec: {}\n"));

        Assert.Contains(ex.Errors, e => e.Path == "kind");
        Assert.Contains(ex.Errors, e => e.Path == "spec.steps");
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_written_as_json_reads_the_same()
    {
        var runbook = RunbookManifestReader.Parse("""
            {"apiVersion": "neocloud.dev/v1", "kind": "Runbook", "metadata": {"name": "from-json"},
             "spec": {"parameters": [{"name": "job", "required": true}],
                      "steps": [{"name": "restart", "action": "restart-job", "with": {"job": "{{ .params.job }}"}}]}}
            """);

        var step = Assert.Single(runbook.Steps);
        Assert.Equal((RunbookAction.RestartJob, ApprovalPolicy.Required), (step.Action, step.Approval));
        Assert.True(Assert.Single(runbook.Parameters).Required);
    }

    [Fact]
    public void Every_example_runbook_reads_without_error()
    {
        var files = Directory.GetFiles(Path.Combine(SampleRunbooks.Root(), "examples", "runbooks"), "*.yaml");

        Assert.True(files.Length >= 3, $"expected the example runbooks, found {files.Length}");
        foreach (string file in files)
        {
            var errors = new List<SpecError>();
            var runbook = RunbookManifestReader.TryParse(File.ReadAllText(file), errors);
            Assert.True(runbook is not null, $"{Path.GetFileName(file)}: {string.Join("; ", errors)}");
            Assert.NotEmpty(runbook!.Steps);
        }
    }
}
