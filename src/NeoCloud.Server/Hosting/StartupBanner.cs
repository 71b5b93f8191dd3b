namespace NeoCloud.Server.Hosting;

/// <summary>Tells the person who ran <c>neocloud up</c> where everything is.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, TextWriter output)
    {
        string baseUrl = (app.Urls.FirstOrDefault() ?? NeoCloudApp.DefaultUrl).TrimEnd('/');
        var config = app.Configuration;
        string store = config[StoreWiring.ConnectionStringKey] is { Length: > 0 }
            ? "PostgreSQL (NeoCloud:Storage:ConnectionString)"
            : "SQLite in " + Path.GetFullPath(config[$"{NeoCloudHostOptions.Section}:DataDir"] is { Length: > 0 } dir ? dir : "./.data");
        output.WriteLine($"""
            NeoCloud is up.
              dashboard  {baseUrl}/
              API        {baseUrl}/api/v1
              OpenAPI    {baseUrl}/openapi/v1.json
              metrics    {baseUrl}/metrics
              health     {baseUrl}/healthz  {baseUrl}/readyz
              store      {store}
            Press Ctrl+C to stop.
            """);
    }
}
