using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Manifest;
using NeoCloud.Server.Problems;
using NeoCloud.Telemetry.Collection;
using NeoCloud.Telemetry.Sources;

namespace NeoCloud.Server.Telemetry;

/// <summary>What the telemetry path sees: each node's latest collected signals, its raw exporter page, and the plugins behind them.</summary>
public static class TelemetryEndpoints
{
    public static WebApplication MapTelemetryApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Telemetry");
        api.MapGet("/nodes/{id}/telemetry", GetLatest)
            .WithSummary("The node's GPU signals from the latest collection round (utilisation, memory, temperature, power, ECC, XID, ...).");
        api.MapGet("/nodes/{id}/telemetry/{format}", GetPage)
            .WithSummary("The node's raw exporter page as a telemetry source serves it: format dcgm-exporter, ib-port-counters or node.");
        api.MapGet("/plugins", ListPlugins).WithSummary("Plugins of this host: kind, tiers, lifecycle state, calls and errors.");
        return app;
    }

    private static Results<Ok<NodeTelemetry>, ProblemHttpResult> GetLatest(string id, TelemetryCollector collector) =>
        collector.Latest(id) is { } latest ? TypedResults.Ok(latest) : NotFoundProblem.For("telemetry collected for node", id);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetPage(string id, string format, PluginHost plugins, CancellationToken cancellationToken)
    {
        var target = new ScrapeTarget(id, format);
        foreach (var (registration, source) in plugins.Ready<ITelemetrySource>())
        {
            if (!source.Targets.Contains(target))
            {
                continue;
            }

            var page = new ArrayBufferWriter<byte>(64 * 1024);
            await plugins.InvokeAsync(registration, "scrape", async ct =>
            {
                await source.ScrapeAsync(target, page, ct);
                return true;
            }, cancellationToken);
            return TypedResults.Text(System.Text.Encoding.UTF8.GetString(page.WrittenSpan), "text/plain; version=0.0.4; charset=utf-8");
        }

        return NotFoundProblem.For($"{format} page (no running telemetry source serves it) for node", id);
    }

    private static Ok<IReadOnlyList<PluginStatus>> ListPlugins(PluginHost plugins) =>
        TypedResults.Ok<IReadOnlyList<PluginStatus>>([.. plugins.Plugins.Select(p => new PluginStatus(
            p.Manifest.Name, p.Manifest.Version, PluginManifestReader.ToKebab(p.Manifest.Kind),
            [.. p.Manifest.Tiers.Select(PluginManifestReader.ToKebab)], PluginManifestReader.ToKebab(p.State), p.Reason, p.Calls, p.Errors))]);

    /// <summary>One plugin as the API shows it.</summary>
    public sealed record PluginStatus(string Name, string Version, string Kind, IReadOnlyList<string> Tiers, string State, string? Reason, long Calls, long Errors);
}
