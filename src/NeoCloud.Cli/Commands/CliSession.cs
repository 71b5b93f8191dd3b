using System.CommandLine;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Configuration;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>What every verb shares: the global options, the HTTP connection, the output streams, and the mapping of failures to one stderr line and an exit code.</summary>
internal sealed class CliSession(HttpMessageHandler? handler, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"NeoCloud API address (else NEOCLOUD_SERVER, else the config file's server:, else {ServerResolution.DefaultServer}).",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table, json or yaml.",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    /// <summary>Runs one verb's work; turns API problems and connection failures into one line on stderr and a distinct exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<NeoCloudClient, Renderer, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        Uri server;
        try
        {
            server = ServerResolution.Resolve(parse.GetValue(Server), environment);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = server;
        http.Timeout = Timeout;
        try
        {
            await work(new NeoCloudClient(http), new Renderer(stdout, parse.GetValue(Output)), cancellationToken);
            return ExitCodes.Ok;
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ApiProblemException ex)
        {
            await stderr.WriteLineAsync(ex.OneLine());
            return ExitCodes.ForStatus(ex.Status);
        }
        catch (HttpRequestException ex)
        {
            await stderr.WriteLineAsync($"error: cannot reach NeoCloud at {server}: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"error: NeoCloud at {server} did not answer within {Timeout.TotalSeconds:0} s");
            return ExitCodes.Unreachable;
        }
    }
}
