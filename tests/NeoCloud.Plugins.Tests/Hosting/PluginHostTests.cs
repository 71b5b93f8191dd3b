using Microsoft.Extensions.Logging.Abstractions;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Plugins.Manifest;
using NeoCloud.Plugins.Tests.Manifest;

namespace NeoCloud.Plugins.Tests.Hosting;

public sealed class PluginHostTests
{
    private static PluginHost NewHost(PluginTier tier = PluginTier.Region) => new(tier, NullLoggerFactory.Instance, TimeProvider.System);

    private static PluginManifest Manifest(string name = "slurm-executor", string config = "endpoint: http://127.0.0.1:6820\n    poll: 5s") =>
        PluginManifestReader.Parse(PluginManifestReaderTests.Slurm.Replace("slurm-executor", name).Replace("endpoint: http://127.0.0.1:6820\n    poll: 5s", config));

    [Fact]
    public async Task A_plugin_goes_through_its_lifecycle_in_order()
    {
        await using var host = NewHost();
        var plugin = new RecordingPlugin();
        var r = host.Register(Manifest(), plugin);

        await host.StartAllAsync(CancellationToken.None);
        await host.CheckHealthAsync(CancellationToken.None);
        await host.StopAllAsync(CancellationToken.None);
        await host.StopAllAsync(CancellationToken.None);

        Assert.Equal(["init", "start", "health", "drain", "stop"], plugin.Calls);
        Assert.Equal(PluginState.Stopped, r.State);
        Assert.Equal("5s", plugin.Context!.Config["poll"]);
        Assert.Equal("3", plugin.Context.Config["retries"]);
    }

    [Fact]
    public void Config_is_checked_against_the_plugins_schema_before_anything_runs()
    {
        using var _ = new CancellationTokenSource();
        var host = NewHost();
        var plugin = new RecordingPlugin();

        var ex = Assert.Throws<PluginValidationException>(() => host.Register(Manifest(config: "poll: soon\n    colour: blue"), plugin));

        Assert.Contains(ex.Problems, p => p.Contains("config.poll must be duration", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("config.colour is not a known setting", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("config.endpoint is required", StringComparison.Ordinal));
        Assert.Empty(plugin.Calls);
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public void A_plugin_is_refused_on_a_tier_its_manifest_does_not_allow()
    {
        var host = NewHost(PluginTier.Edge);

        var ex = Assert.Throws<PluginValidationException>(() => host.Register(Manifest(), new RecordingPlugin()));

        Assert.Contains(ex.Problems, p => p.Contains("not on the Edge tier", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plugin_that_throws_is_isolated_and_the_others_keep_running()
    {
        await using var host = NewHost();
        var bad = host.Register(Manifest("bad-one"), new RecordingPlugin { ThrowOnCall = true });
        var good = host.Register(Manifest("good-one"), new RecordingPlugin());
        await host.StartAllAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await host.InvokeAsync(bad, "run", _ => ((RecordingPlugin)bad.Plugin).RunAsync(), CancellationToken.None));
        int result = await host.InvokeAsync(good, "run", _ => ((RecordingPlugin)good.Plugin).RunAsync(), CancellationToken.None);

        Assert.Equal(PluginState.Failed, bad.State);
        Assert.Contains("run threw", bad.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 1), (bad.Calls, bad.Errors));
        Assert.Equal(42, result);
        Assert.Equal((1, 0), (good.Calls, good.Errors));
        await Assert.ThrowsAsync<PluginUnavailableException>(async () =>
            await host.InvokeAsync(bad, "run", _ => ValueTask.FromResult(0), CancellationToken.None));
        Assert.Single(host.Ready<RecordingPlugin>());
    }

    [Fact]
    public async Task A_plugin_that_reports_failed_health_is_taken_out_of_service()
    {
        await using var host = NewHost();
        var plugin = new RecordingPlugin();
        var r = host.Register(Manifest(), plugin);
        await host.StartAllAsync(CancellationToken.None);

        plugin.Health = PluginHealth.Failed("endpoint unreachable");
        await host.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(PluginState.Failed, r.State);
        Assert.Equal("endpoint unreachable", r.Reason);
        Assert.Empty(host.Ready<RecordingPlugin>());
    }

    [Fact]
    public async Task A_plugin_whose_start_throws_is_failed_without_stopping_the_host()
    {
        await using var host = NewHost();
        var r = host.Register(Manifest(), new RecordingPlugin { ThrowOnStart = true });

        await host.StartAllAsync(CancellationToken.None);

        Assert.Equal(PluginState.Failed, r.State);
        Assert.Contains("start threw", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_two_plugins_of_one_name_is_refused()
    {
        var host = NewHost();
        host.Register(Manifest(), new RecordingPlugin());

        Assert.Throws<PluginValidationException>(() => host.Register(Manifest(), new RecordingPlugin()));
    }

    private sealed class RecordingPlugin : IPlugin
    {
        public List<string> Calls { get; } = [];
        public PluginContext? Context { get; private set; }
        public bool ThrowOnCall { get; init; }
        public bool ThrowOnStart { get; init; }
        public PluginHealth Health { get; set; } = PluginHealth.Ready;

        public IReadOnlyList<ConfigField> ConfigSchema { get; } =
        [
            new("endpoint", ConfigFieldType.Text, Required: true),
            new("poll", ConfigFieldType.Duration, Default: "10s"),
            new("retries", ConfigFieldType.Integer, Default: "3"),
        ];

        public Task InitAsync(PluginContext context, CancellationToken cancellationToken)
        {
            Context = context;
            Calls.Add("init");
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Calls.Add("start");
            return ThrowOnStart ? throw new InvalidOperationException("boom") : Task.CompletedTask;
        }

        public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
        {
            Calls.Add("health");
            return ValueTask.FromResult(Health);
        }

        public Task DrainAsync(CancellationToken cancellationToken)
        {
            Calls.Add("drain");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Calls.Add("stop");
            return Task.CompletedTask;
        }

        public ValueTask<int> RunAsync() => ThrowOnCall ? throw new InvalidOperationException("bad input") : ValueTask.FromResult(42);
    }
}
