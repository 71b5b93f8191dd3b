using Microsoft.Extensions.Options;
using NeoCloud.Access.Audit;
using NeoCloud.Reliability.Slos;
using NeoCloud.Reliability.Sources;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Observability;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>
/// Wires the SLOs into the host: the runtime takes the built-in SLI events (as an <see cref="ISliSink"/>), gives its
/// burn-rate alerts to the reliability loop (as an <see cref="IAlertSource"/>), and is evaluated by its own loop.
/// </summary>
public static class SloHosting
{
    /// <summary>The named HTTP client Prometheus SLIs are read with.</summary>
    public const string PrometheusClient = "slo-prometheus";

    public static WebApplicationBuilder AddSlos(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SloOptions>().BindConfiguration(SloOptions.Section).Validate(
            o => o.Bucket > TimeSpan.Zero && TimeSpan.FromMinutes(5).Ticks % o.Bucket.Ticks == 0 && o.EvaluationInterval > TimeSpan.Zero,
            $"{SloOptions.Section}: Bucket must divide 5 minutes (30s, 1m, 5m) and EvaluationInterval must be positive.").ValidateOnStart();
        services.AddHttpClient(PrometheusClient, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SloOptions>>().Value;
            return new SloRuntime(
                sp.GetRequiredService<IReliabilityStore>(),
                new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()),
                sp.GetRequiredService<FleetTwin>().Clock,
                options,
                sp.GetRequiredService<FleetMetrics>(),
                options.PrometheusUrl is null ? null : sp.GetRequiredService<IHttpClientFactory>().CreateClient(PrometheusClient),
                sp.GetRequiredService<ILogger<SloRuntime>>());
        });
        services.AddSingleton<ISliSink>(sp => sp.GetRequiredService<SloRuntime>());
        services.AddSingleton<IAlertSource>(sp => sp.GetRequiredService<SloRuntime>());
        services.AddHostedService<SloService>();
        return builder;
    }
}
