namespace NeoCloud.Server.Reliability;

/// <summary>
/// Counts every API request (<c>/api/...</c>) as an <see cref="SliEvents.ApiAvailability"/> event (good unless 5xx or
/// thrown) and an <see cref="SliEvents.ApiLatency"/> event (good under <see cref="SliEvents.ApiLatencyThreshold"/>).
/// </summary>
public static class SliMiddleware
{
    /// <summary>The header a caller names its tenant in, so API SLIs can be kept per tenant.</summary>
    public const string TenantHeader = "X-NeoCloud-Tenant";

    public static WebApplication UseSliEvents(this WebApplication app)
    {
        var sli = app.Services.GetRequiredService<SliEvents>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            long started = clock.GetTimestamp();
            bool failed = true;
            try
            {
                await next(context);
                failed = context.Response.StatusCode >= 500;
            }
            finally
            {
                string? tenant = context.Request.Headers[TenantHeader] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
                var at = clock.GetUtcNow();
                sli.Record(SliEvents.ApiAvailability, tenant, at, failed ? 0 : 1, 1);
                sli.RecordLatency(SliEvents.ApiLatency, tenant, at, clock.GetElapsedTime(started));
            }
        });
        return app;
    }
}
