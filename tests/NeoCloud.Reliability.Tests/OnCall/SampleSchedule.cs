namespace NeoCloud.Reliability.Tests.OnCall;

internal static class SampleSchedule
{
    // Line numbers matter: the manifest error tests point at them.
    public const string Yaml = """
        apiVersion: neocloud.dev/v1
        kind: OnCallSchedule
        metadata:
          name: platform
        spec:
          rotations:
            - name: primary
              participants: [alice, bob, carol]
              start: 2026-03-27T09:00
              period: 1d
              timeZone: Europe/Berlin
            - name: secondary
              participants: [erin, frank]
              start: 2026-03-23T09:00
              period: 7d
              timeZone: Europe/Berlin
          overrides:
            - rotation: primary
              person: dave
              start: 2026-03-28T12:00:00+01:00
              end: 2026-03-28T18:00:00+01:00
          escalation:
            repeat: 1
            levels:
              - targets: [{ rotation: primary }]
                escalateAfter: 15m
              - targets: [{ rotation: secondary }, { person: grace }]
                escalateAfter: 30m
        """;
}
