namespace NeoCloud.Reliability.Tests;

/// <summary>SLO files the tests share: one of each indicator and budgeting method.</summary>
internal static class SampleSlos
{
    public const string ApiAvailability = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: availability
        spec:
          service: neocloud-api
          description: The regional API answers without a server error.
          tenant: platform
          lineOfBusiness: control-plane
          indicator:
            spec:
              builtIn: api-availability
          timeWindow:
            - duration: 30d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.999
        """;

    public const string InferenceLatency = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: latency
        spec:
          service: inference-gateway
          indicator:
            metadata:
              name: p99-under-2s
            spec:
              thresholdMetric:
                metricSource:
                  type: Prometheus
                  spec:
                    query: histogram_quantile(0.99, sum by (le) (rate(gateway_request_seconds_bucket[{{.window}}])))
          timeWindow:
            - duration: 1M
              isRolling: false
              calendar:
                startTime: "2026-01-01 00:00:00"
                timeZone: UTC
          budgetingMethod: Timeslices
          objectives:
            - displayName: p99-2s
              op: lte
              value: 2
              targetPercent: 99
              timeSliceWindow: 1m
        """;

    public const string JobStarts = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: job-starts
        spec:
          service: scheduler
          indicator:
            spec:
              ratioMetric:
                counter: true
                good:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(neocloud_workloads_jobs_started_total[{{.window}}]))
                total: sum(rate(neocloud_workloads_jobs_submitted_total[{{.window}}]))
          timeWindow:
            - duration: 28d
          objectives:
            - displayName: starts
              target: 0.99
            - displayName: starts-strict
              targetPercent: 99.5
          alerting:
            minimumEvents: 50
            windows:
              - { severity: page, factor: 14, longWindow: 1h, shortWindow: 5m }
              - { severity: page, factor: 7, longWindow: 6h, shortWindow: 30m }
              - { severity: ticket, factor: 2, longWindow: 1d, shortWindow: 2h }
              - { severity: ticket, factor: 1, longWindow: 4d, shortWindow: 6h }
        """;

    public static string All => string.Join("\n---\n", ApiAvailability, InferenceLatency, JobStarts);
}
