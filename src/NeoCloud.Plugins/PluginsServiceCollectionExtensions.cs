using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Manifest;

namespace NeoCloud.Plugins;

/// <summary>Registers the plugin host of a tier; plugins are registered into it by whoever owns them.</summary>
public static class PluginsServiceCollectionExtensions
{
    public static IServiceCollection AddPlugins(this IServiceCollection services, PluginTier tier)
    {
        services.AddSingleton(sp => new PluginHost(tier, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
