using NeoCloud.Server.Json;
using NeoCloud.Server.Problems;

namespace NeoCloud.Server.Hosting;

/// <summary>The host's own plumbing: options, JSON wire format, problem details, OpenAPI, fleet import on start.</summary>
public static class HostExtensions
{
    public static WebApplicationBuilder AddNeoCloudHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NeoCloudHostOptions>().BindConfiguration(NeoCloudHostOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<NeoCloudHostOptions>, NeoCloudHostOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => WireNames.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (!ProblemTypes.IsOurs(problem.Type))
            {
                problem.Type = ProblemTypes.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            }

            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (TypedIdJsonConverterFactory.IsTypedId(type) || type == typeof(NeoCloud.Kernel.Audit.Actor))
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                schema.Properties?.Clear();
            }

            return Task.CompletedTask;
        }));
        services.AddSingleton(sp => new FleetSource(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NeoCloudHostOptions>>()));
        services.AddHostedService<FleetImport>();
        return builder;
    }

    public static WebApplication UseNeoCloudHost(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
