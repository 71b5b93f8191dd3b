using NeoCloud.Cli.Api;
using NeoCloud.Cli.Configuration;

namespace NeoCloud.Cli.Tests.Configuration;

public sealed class ServerResolutionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neoctl-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_flag_wins_over_the_environment_and_the_config_file()
    {
        string config = WriteConfig("server: http://from-file:5080\n");
        var env = Environment(("NEOCLOUD_SERVER", "http://from-env:5080"), ("NEOCTL_CONFIG", config));

        Assert.Equal(new Uri("http://from-flag:5080"), ServerResolution.Resolve("http://from-flag:5080", env));
    }

    [Fact]
    public void The_environment_wins_over_the_config_file()
    {
        string config = WriteConfig("server: http://from-file:5080\n");
        var env = Environment(("NEOCLOUD_SERVER", "http://from-env:5080"), ("NEOCTL_CONFIG", config));

        Assert.Equal(new Uri("http://from-env:5080"), ServerResolution.Resolve(null, env));
    }

    [Fact]
    public void The_config_file_named_by_NEOCTL_CONFIG_is_read()
    {
        string config = WriteConfig("# neoctl\nserver: https://neocloud.example:8443\nother: ignored\n");

        Assert.Equal(new Uri("https://neocloud.example:8443"), ServerResolution.Resolve(null, Environment(("NEOCTL_CONFIG", config))));
    }

    [Fact]
    public void The_config_file_under_home_is_read_when_nothing_else_is_set()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".config", "neoctl"));
        File.WriteAllText(Path.Combine(_dir, ".config", "neoctl", "config.yaml"), "server: http://home-config:5080\n");

        Assert.Equal(new Uri("http://home-config:5080"), ServerResolution.Resolve(null, Environment(("HOME", _dir))));
    }

    [Fact]
    public void The_local_default_is_used_when_nothing_is_configured()
    {
        Assert.Equal(new Uri("http://127.0.0.1:5080"), ServerResolution.Resolve(null, Environment(("HOME", _dir))));
    }

    [Fact]
    public void A_server_that_is_not_an_http_url_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => ServerResolution.Resolve("ftp://x", Environment()));

        Assert.Contains("--server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neoctl_uses_the_config_file_server_and_exits_1_when_it_is_not_a_url()
    {
        string config = WriteConfig("server: not a url\n");

        var run = await Commands.Neoctl.RunAsync(null, Environment(("NEOCTL_CONFIG", config)), "get", "nodes");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(config, run.Error, StringComparison.Ordinal);
    }

    private string WriteConfig(string yaml)
    {
        string path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
