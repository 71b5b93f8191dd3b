using System.CommandLine;
using NeoCloud.Cli.Commands;

namespace NeoCloud.Cli;

/// <summary>The <c>neoctl</c> command line, runnable against any HTTP handler so tests can drive it against an in-process server.</summary>
public static class NeoctlApp
{
    public static Task<int> RunAsync(string[] args, HttpMessageHandler? handler, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, handler, stdout, stderr, Environment.GetEnvironmentVariable);

    /// <param name="environment">Reads environment variables (NEOCLOUD_SERVER, NEOCTL_CONFIG, HOME); tests pass their own.</param>
    public static Task<int> RunAsync(string[] args, HttpMessageHandler? handler, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var session = new CliSession(handler, stdout, stderr, environment);
        var root = new RootCommand("neoctl: operate a NeoCloud GPU fleet.")
        {
            session.Server,
            session.Output,
        };
        root.Subcommands.Add(GetCommand.Create(session));
        root.Subcommands.Add(DescribeCommand.Create(session));
        root.Subcommands.Add(LifecycleCommands.Cordon(session));
        root.Subcommands.Add(LifecycleCommands.Uncordon(session));
        root.Subcommands.Add(JobCommands.Submit(session));
        root.Subcommands.Add(JobCommands.Apply(session));
        root.Subcommands.Add(JobCommands.Cancel(session));
        root.Subcommands.Add(JobCommands.Watch(session));
        root.Subcommands.Add(HealthCommands.Create(session));
        root.Subcommands.Add(SloCommands.Create(session));
        root.Subcommands.Add(RunbookCommands.Create(session));
        root.Subcommands.Add(IncidentCommands.Create(session));
        root.Subcommands.Add(IncidentCommands.Alerts(session));
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
