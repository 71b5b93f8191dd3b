using System.CommandLine;
using NeoCloud.Server.Hosting;

namespace NeoCloud.Server.Tests.Reliability;

public sealed class SloCommandTests : IDisposable
{
    private const string Slo = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: availability
        spec:
          service: neocloud-api
          indicator:
            spec:
              builtIn: api-availability
          timeWindow:
            - duration: 30d
          objectives:
            - target: 0.999
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-slo-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Slo_rules_writes_the_rule_file_and_its_promtool_tests()
    {
        string file = Path.Combine(_dir, "slos.yaml");
        await File.WriteAllTextAsync(file, Slo);

        var (exit, output, error) = await RunAsync("slo", "rules", "-f", file, "--out", Path.Combine(_dir, "out"));

        Assert.True(exit == 0, error);
        Assert.Contains("1 SLO(s), 3 file(s)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "neocloud-api-availability.rules.yml")));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "tests", "neocloud-api-availability.test.yml")));
    }

    [Fact]
    public async Task Slo_rules_exits_1_and_lists_every_error_of_a_bad_file()
    {
        string file = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(file, Slo.Replace("target: 0.999", "target: 1", StringComparison.Ordinal).Replace("service:", "servise:", StringComparison.Ordinal));

        var (exit, _, error) = await RunAsync("slo", "rules", "-f", file, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, exit);
        Assert.Contains("line 13, column 15: spec.objectives[0].target", error, StringComparison.Ordinal);
        Assert.Contains("spec.servise: is not a known field; did you mean 'service'?", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ServerCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
