using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace NeoCloud.Server.Observability;

/// <summary>Logs, traces, metrics and health endpoints of the host.</summary>
public static class ObservabilityExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddNeoCloudObservability(this WebApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration["NEOCLOUD_LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole();
        }

        // OTLP only when a collector is configured: the embedded default has nowhere to send to.
        bool otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("neocloud"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(NeoCloudTelemetry.SourceName).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NeoCloudTelemetry.SourceName).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        builder.Services.AddSingleton<FleetMetrics>();
        builder.Services.AddHealthChecks().AddCheck<FleetStoreHealthCheck>("fleet-store", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication UseNeoCloudObservability(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<FleetMetrics>();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));

        // The contexts measure with System.Diagnostics.Metrics (plugin calls, telemetry scrapes); publish those on /metrics too.
        var adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = metrics.Registry,
            MetricFactory = metrics.Factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("NeoCloud.", StringComparison.Ordinal),
        });
        app.Lifetime.ApplicationStopped.Register(adapter.Dispose);
        return app;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/healthz</c> (the process is alive) and <c>/readyz</c> (the store answers and holds a fleet).</summary>
    public static WebApplication MapOperationalEndpoints(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<FleetMetrics>();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapOpenApi();
        return app;
    }
}
