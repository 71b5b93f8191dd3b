namespace NeoCloud.Server.Hosting;

/// <summary>Tells the person who ran <c>neocloud up</c> where everything is.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, TextWriter output)
    {
        string baseUrl = (app.Urls.FirstOrDefault() ?? NeoCloudApp.DefaultUrl).TrimEnd('/');
        output.WriteLine($"""
            NeoCloud is up.
              dashboard  {baseUrl}/
              API        {baseUrl}/api/v1
              OpenAPI    {baseUrl}/openapi/v1.json
              metrics    {baseUrl}/metrics
              health     {baseUrl}/healthz  {baseUrl}/readyz
            Press Ctrl+C to stop.
            """);
    }
}
