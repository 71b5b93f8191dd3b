using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookTemplateTests
{
    private static readonly Dictionary<string, string> Params = new() { ["node"] = "n1", ["level"] = "r2" };

    [Fact]
    public void Parameters_and_labels_are_substituted_and_literal_text_is_kept()
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "node-down" };

        Assert.Equal("n1 failed node-down at r2", RunbookTemplate.Render("{{ .params.node }} failed {{.labels.alertname}} at {{ .params.level}}", Params, labels));
        Assert.Equal("no holes", RunbookTemplate.Render("no holes", Params, null));
    }

    [Fact]
    public void A_missing_value_names_the_variable_and_why()
    {
        var noLabels = Assert.Throws<FormatException>(() => RunbookTemplate.Render("{{ .labels.node }}", Params, null));
        var missing = Assert.Throws<FormatException>(() => RunbookTemplate.Render("{{ .params.job }}", Params, null));

        Assert.Contains("not started by an alert", noLabels.Message, StringComparison.Ordinal);
        Assert.Contains("{{ .params.job }}", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_lists_every_hole_in_order()
    {
        var variables = RunbookTemplate.Variables("{{ .params.a }}-{{ .labels.b }}", out string? error);

        Assert.Null(error);
        Assert.Equal([new RunbookTemplate.Variable("params", "a"), new RunbookTemplate.Variable("labels", "b")], variables!);
    }
}
