using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

internal static class SampleRunbooks
{
    public const string DrainYaml = """
        apiVersion: neocloud.dev/v1
        kind: Runbook
        metadata:
          name: drain-node
        spec:
          description: cordon, drain and diagnose
          parameters:
            - name: node
              required: true
            - name: level
              default: r1
          triggers:
            - matchers: ['alertname="node-down"', 'severity=~"page|critical"']
              parameters: { node: "{{ .labels.node }}" }
          steps:
            - name: look
              action: query
              with: { node: "{{ .params.node }}" }
            - name: cordon
              action: cordon
              with: { node: "{{ .params.node }}" }
            - name: drain
              action: drain
              with: { node: "{{ .params.node }}" }
            - name: diagnose
              action: run-diagnostics
              with: { node: "{{ .params.node }}", level: "{{ .params.level }}" }
        """;

    public static Runbook Drain => RunbookManifestReader.Parse(DrainYaml);

    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (NeoCloud.slnx) above " + AppContext.BaseDirectory);
    }
}
