using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

/// <summary>Runs neoctl in-process against a test host and captures what it printed.</summary>
internal sealed record Neoctl(int ExitCode, string Out, string Error)
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    public static Task<Neoctl> RunAsync(NeoCloudTestHost host, params string[] args) => RunAsync(host.CreateHandler(), NoEnvironment, args);

    public static async Task<Neoctl> RunAsync(HttpMessageHandler? handler, Func<string, string?> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await NeoctlApp.RunAsync(args, handler, stdout, stderr, environment);
        return new Neoctl(code, stdout.ToString(), stderr.ToString());
    }
}
