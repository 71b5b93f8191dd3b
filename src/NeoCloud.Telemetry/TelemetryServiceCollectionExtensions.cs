using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Telemetry.Collection;

namespace NeoCloud.Telemetry;

/// <summary>Registers the Telemetry context: the collector, its options and its background loop.</summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration("NeoCloud:Telemetry")
            .Validate(o => o.ScrapeIntervalSeconds is >= 1 and <= 3600, "NeoCloud:Telemetry:ScrapeIntervalSeconds must be between 1 and 3600.")
            .ValidateOnStart();
        services.AddSingleton<TelemetryCollector>();
        services.AddHostedService<TelemetryCollectionService>();
        return services;
    }
}
