using System.CommandLine;
using Microsoft.Extensions.Options;
using NeoCloud.Fleet.Spec;

namespace NeoCloud.Server.Hosting;

/// <summary>The <c>neocloud</c> command line: verbs that start the host in its different roles.</summary>
public static class ServerCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("NeoCloud: the control plane and SRE platform of a GPU cloud.");
        root.Subcommands.Add(CreateUp());
        root.Subcommands.Add(Simulator.SimCommand.Create());
        root.Subcommands.Add(Bench.BenchCommand.Create());
        root.Subcommands.Add(Reliability.SloCommand.Create());
        return root;
    }

    private static Command CreateUp()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Folder for the embedded store (default ./.data, or NEOCLOUD_DATA_DIR).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NEOCLOUD_DATA_DIR") is { Length: > 0 } env ? env : "./.data",
        };
        var fleet = new Option<FileInfo?>("--fleet")
        {
            Description = "A kind: Fleet file imported on first start (default: the built-in fleet).",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Addresses to listen on (default {NeoCloudApp.DefaultUrl}, or ASPNETCORE_URLS).",
        };

        var up = new Command("up", "Start the all-in-one host: API, dashboard, /metrics, with the fleet imported.")
        {
            dataDir,
            fleet,
            urls,
        };

        // Anything else (--environment, --Logging:LogLevel:Default=Debug, ...) goes to ASP.NET Core's configuration.
        up.TreatUnmatchedTokensAsErrors = false;
        up.SetAction(async (parseResult, cancellationToken) =>
        {
            var hostArgs = new List<string>(parseResult.UnmatchedTokens);
            string dir = parseResult.GetValue(dataDir)!;
            hostArgs.AddRange([$"--{NeoCloudHostOptions.Section}:DataDir", dir]);
            if (parseResult.GetValue(fleet) is { } fleetFile)
            {
                hostArgs.AddRange([$"--{NeoCloudHostOptions.Section}:FleetFile", fleetFile.FullName]);
            }

            if (parseResult.GetValue(urls) is { Length: > 0 } listen)
            {
                hostArgs.AddRange(["--urls", listen]);
            }

            Directory.CreateDirectory(dir);
            await using var app = NeoCloudApp.Build([.. hostArgs]);
            app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, parseResult.InvocationConfiguration.Output));
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException or FleetSpecException or IOException)
            {
                // Misconfiguration (no store, bad options, a bad fleet file) is the operator's to fix: say what, not where in our code.
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"neocloud up: {ex.Message}");
                return 1;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return up;
    }
}
