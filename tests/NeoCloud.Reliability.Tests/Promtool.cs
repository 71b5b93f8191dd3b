using System.Diagnostics;

namespace NeoCloud.Reliability.Tests;

/// <summary>Runs the real promtool: from NEOCLOUD_PROMTOOL (build.sh sets it) or PATH; missing is a failure, never a skip.</summary>
internal static class Promtool
{
    public static string Path()
    {
        string? configured = Environment.GetEnvironmentVariable("NEOCLOUD_PROMTOOL");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir, "promtool");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("promtool was not found (NEOCLOUD_PROMTOOL or PATH). Run the tests with ./build.sh test, which installs it, "
            + "or run scripts/promtool.sh (it installs the 'prometheus' package, which ships promtool) and try again.");
        return "";
    }

    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"promtool {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
