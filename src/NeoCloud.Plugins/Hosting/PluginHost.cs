using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Plugins.Manifest;

namespace NeoCloud.Plugins.Hosting;

/// <summary>
/// Runs plugins through their lifecycle for one tier. Every call into a plugin goes through <see cref="InvokeAsync{T}"/>,
/// which counts calls, errors and latency; a plugin that throws or fails health is isolated (marked failed and no longer
/// called) and never takes the host down.
/// </summary>
public sealed class PluginHost : IAsyncDisposable
{
    /// <summary>Instruments are named within the meter: exported to Prometheus as <c>neocloud_plugins_calls_total</c> and so on.</summary>
    public const string MeterName = "NeoCloud.Plugins";

    private readonly PluginTier _tier;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _clock;
    private readonly Meter _meter = new(MeterName);
    private readonly ActivitySource _activities = new(MeterName);
    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _latency;
    private readonly Dictionary<string, PluginRegistration> _plugins = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PluginHost(PluginTier tier, ILoggerFactory loggers, TimeProvider clock)
    {
        _tier = tier;
        _loggers = loggers;
        _clock = clock;
        _calls = _meter.CreateCounter<long>("calls_total", description: "Calls into plugins.");
        _errors = _meter.CreateCounter<long>("errors_total", description: "Calls into plugins that threw.");
        _latency = _meter.CreateHistogram<double>("call_seconds", "s", "Latency of calls into plugins.");
    }

    public IReadOnlyList<PluginRegistration> Plugins
    {
        get
        {
            lock (_gate)
            {
                return [.. _plugins.Values];
            }
        }
    }

    /// <summary>Validates the manifest for this tier and the plugin's config schema; a bad plugin is refused, not half-registered.</summary>
    public PluginRegistration Register(PluginManifest manifest, IPlugin plugin)
    {
        var problems = new List<string>();
        if (!manifest.Tiers.Contains(_tier))
        {
            problems.Add($"it may run on {string.Join(", ", manifest.Tiers)}, not on the {_tier} tier");
        }

        var config = ValidateConfig(manifest.Config, plugin.ConfigSchema, problems);
        if (problems.Count > 0)
        {
            throw new PluginValidationException(manifest.Name, problems);
        }

        var registration = new PluginRegistration(manifest, plugin) { State = PluginState.Validated, Config = config };
        lock (_gate)
        {
            if (!_plugins.TryAdd(manifest.Name, registration))
            {
                throw new PluginValidationException(manifest.Name, ["a plugin of that name is already registered"]);
            }
        }

        return registration;
    }

    public PluginRegistration Get(string name)
    {
        lock (_gate)
        {
            return _plugins.TryGetValue(name, out var r) ? r : throw new KeyNotFoundException($"No plugin '{name}'.");
        }
    }

    /// <summary>The ready plugins that implement <typeparamref name="T"/>.</summary>
    public IEnumerable<(PluginRegistration Registration, T Plugin)> Ready<T>()
        where T : class
    {
        foreach (var r in Plugins)
        {
            if (r.State is PluginState.Ready or PluginState.Degraded && r.Plugin is T typed)
            {
                yield return (r, typed);
            }
        }
    }

    /// <summary>Initialises and starts every registered plugin; one that fails is marked failed and the rest go on.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var r in Plugins.Where(p => p.State == PluginState.Validated))
        {
            var context = new PluginContext(
                r.Manifest, r.Config, _loggers.CreateLogger($"NeoCloud.Plugins.{r.Manifest.Name}"), _meter, _activities, _clock);
            await StepAsync(r, "init", ct => r.Plugin.InitAsync(context, ct), PluginState.Initialized, cancellationToken);
            if (r.State == PluginState.Initialized)
            {
                await StepAsync(r, "start", r.Plugin.StartAsync, PluginState.Ready, cancellationToken);
            }
        }
    }

    /// <summary>Asks every running plugin for its health and records the answer; a failed plugin is isolated.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        foreach (var r in Plugins.Where(p => p.State is PluginState.Ready or PluginState.Degraded))
        {
            try
            {
                var health = await r.Plugin.CheckHealthAsync(cancellationToken);
                (r.State, r.Reason) = health.Status switch
                {
                    PluginHealthStatus.Ready => (PluginState.Ready, null),
                    PluginHealthStatus.Degraded => (PluginState.Degraded, health.Reason),
                    _ => (PluginState.Failed, health.Reason ?? "reported failed"),
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Isolate(r, "health check threw: " + ex.Message);
            }
        }
    }

    /// <summary>Calls into a plugin with metrics, a trace span and isolation: if the plugin throws, it is marked failed and the error rethrown to the caller.</summary>
    public async ValueTask<T> InvokeAsync<T>(PluginRegistration registration, string operation, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        if (registration.State is not (PluginState.Ready or PluginState.Degraded))
        {
            throw new PluginUnavailableException(registration.Manifest.Name, registration.State, registration.Reason);
        }

        var tags = new TagList { { "plugin", registration.Manifest.Name }, { "operation", operation } };
        using var activity = _activities.StartActivity($"plugin {registration.Manifest.Name} {operation}");
        long started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref registration.CallCount);
        _calls.Add(1, tags);
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref registration.ErrorCount);
            _errors.Add(1, tags);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            Isolate(registration, $"{operation} threw: {ex.Message}");
            throw;
        }
        finally
        {
            _latency.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>Drains then stops every plugin, in reverse order of registration; safe to call twice.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        foreach (var r in Plugins.AsEnumerable().Reverse())
        {
            if (r.State is PluginState.Stopped or PluginState.Registered or PluginState.Validated)
            {
                continue;
            }

            if (r.State is PluginState.Ready or PluginState.Degraded)
            {
                await StepAsync(r, "drain", r.Plugin.DrainAsync, PluginState.Draining, cancellationToken);
            }

            try
            {
                await r.Plugin.StopAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _loggers.CreateLogger<PluginHost>().LogWarning(ex, "Plugin {Plugin} threw while stopping", r.Manifest.Name);
            }

            r.State = PluginState.Stopped;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync(CancellationToken.None);
        _meter.Dispose();
        _activities.Dispose();
    }

    private async Task StepAsync(PluginRegistration r, string step, Func<CancellationToken, Task> action, PluginState next, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken);
            r.State = next;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Isolate(r, $"{step} threw: {ex.Message}");
        }
    }

    private void Isolate(PluginRegistration r, string reason)
    {
        r.State = PluginState.Failed;
        r.Reason = reason;
        _loggers.CreateLogger<PluginHost>().LogError("Plugin {Plugin} isolated: {Reason}", r.Manifest.Name, reason);
    }

    private static Dictionary<string, string> ValidateConfig(IReadOnlyDictionary<string, string> given, IReadOnlyList<ConfigField> schema, List<string> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = schema.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            if (!known.TryGetValue(key, out var field))
            {
                problems.Add($"config.{key} is not a known setting (known: {string.Join(", ", known.Keys)})");
                continue;
            }

            if (!IsValid(field.Type, value))
            {
                problems.Add($"config.{key} must be {field.Type.ToString().ToLowerInvariant()}, got '{value}'");
            }

            result[key] = value;
        }

        foreach (var field in schema)
        {
            if (!result.ContainsKey(field.Name))
            {
                if (field.Required)
                {
                    problems.Add($"config.{field.Name} is required");
                }
                else if (field.Default is not null)
                {
                    result[field.Name] = field.Default;
                }
            }
        }

        return result;
    }

    private static bool IsValid(ConfigFieldType type, string value) => type switch
    {
        ConfigFieldType.Integer => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        ConfigFieldType.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        ConfigFieldType.Boolean => bool.TryParse(value, out _),
        ConfigFieldType.Duration => ConfigDuration.TryParse(value, out _),
        _ => true,
    };
}
