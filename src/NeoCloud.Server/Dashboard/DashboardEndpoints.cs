using Microsoft.Extensions.FileProviders;

namespace NeoCloud.Server.Dashboard;

/// <summary>Serves the dashboard at <c>/</c>: static HTML and JavaScript embedded in the assembly, so it works from any working directory and offline.</summary>
public static class DashboardEndpoints
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardEndpoints).Assembly, "NeoCloud.Server.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
