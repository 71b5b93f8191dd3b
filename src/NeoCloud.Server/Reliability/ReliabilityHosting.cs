using Microsoft.Extensions.Options;
using NeoCloud.Access.Audit;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Reliability.Anomalies;
using NeoCloud.Reliability.Notifications;
using NeoCloud.Reliability.OnCall;
using NeoCloud.Reliability.Operations;
using NeoCloud.Reliability.Sources;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Health;
using NeoCloud.Server.Workloads;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// Wires the Reliability context into the host: Health's rounds as an alert source, the engine with the region's default
/// routing, the webhooks and on-call schedule from configuration, the loop, the SLI events and the metrics.
/// </summary>
public static class ReliabilityHosting
{
    /// <summary>The named HTTP client webhooks are sent with.</summary>
    public const string WebhookClient = "reliability-webhooks";

    public static WebApplicationBuilder AddReliability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReliabilityOptions>().BindConfiguration(ReliabilityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReliabilityOptions>, ReliabilityOptionsValidator>();
        services.AddHttpClient(WebhookClient);
        services.AddSingleton<ReliabilityMetrics>();
        services.AddSingleton<SliEvents>();
        services.AddSingleton<AlertRunbooks>();
        services.AddSingleton<JobSliRelay>();
        services.AddSingleton(sp => new NodeAvailabilitySli(sp.GetRequiredService<WorkloadRuntime>().Controller, sp.GetRequiredService<SliEvents>()));
        services.AddSingleton(sp =>
        {
            var health = sp.GetRequiredService<HealthRuntime>();
            var feed = new HealthAlertFeed(new HealthAlertSource(new HealthAlertOptions
            {
                OwnerOfWork = work => health.Mover.TenantOf(work) is { } tenant ? new WorkOwner(tenant) : null,
            }));
            health.RoundCompleted += (_, round) => feed.Enqueue(round);
            return feed;
        });
        services.AddSingleton<IAlertSource>(sp => sp.GetRequiredService<HealthAlertFeed>());
        services.AddSingleton(sp =>
        {
            var health = sp.GetRequiredService<HealthRuntime>();
            var feed = new AnomalyFeed(new AnomalyWatch(), health.Store, sp.GetRequiredService<ILogger<AnomalyFeed>>());
            health.OnFrame(feed.ObserveAsync);
            return feed;
        });
        services.AddSingleton<IAlertSource>(sp => sp.GetRequiredService<AnomalyFeed>());
        services.AddSingleton<IAlertSource>(sp => new BreakerAlerts(() => sp.GetRequiredService<HealthRuntime>().OpenBreakers));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReliabilityOptions>>().Value;
            var hostClock = sp.GetRequiredService<TimeProvider>();
            var http = sp.GetRequiredService<IHttpClientFactory>();
            var webhooks = options.Webhooks.Select(w => (w.Name, new WebhookNotifier(
                http.CreateClient(WebhookClient), new WebhookNotifierOptions { Url = new Uri(w.Url), ExternalUrl = options.ExternalUrl }, hostClock)));

            // Read at start so a malformed schedule stops the host with its line and column, not the first page.
            var schedule = string.IsNullOrWhiteSpace(options.OnCallSchedulePath) ? null : OnCallScheduleReader.ReadFile(options.OnCallSchedulePath);

            // Alerts are stamped on the twin's clock, as Health stamps its findings, so detection times line up.
            return new ReliabilityRuntime(
                ReliabilityDefaults.Engine(),
                sp.GetRequiredService<HealthAlertFeed>(),
                sp.GetServices<IAlertSource>(),
                sp.GetService<IReliabilityStore>(),
                sp.GetService<IHealthStore>(),
                new HashChainedAuditTrail(sp.GetRequiredService<IAuditStore>()),
                sp.GetRequiredService<IPager>(),
                schedule,
                webhooks,
                sp.GetRequiredService<ReliabilityMetrics>(),
                sp.GetRequiredService<FleetTwin>().Clock,
                sp.GetRequiredService<ILogger<ReliabilityRuntime>>());
        });
        services.AddHostedService<ReliabilityService>();
        return builder;
    }
}
