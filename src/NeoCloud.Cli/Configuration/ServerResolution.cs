using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NeoCloud.Cli.Configuration;

/// <summary>Decides which NeoCloud server to talk to: <c>--server</c>, else <c>NEOCLOUD_SERVER</c>, else the config file, else the local default.</summary>
internal static class ServerResolution
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static Uri Resolve(string? flag, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return Parse(flag, "--server");
        }

        if (environment("NEOCLOUD_SERVER") is { Length: > 0 } fromEnvironment)
        {
            return Parse(fromEnvironment, "NEOCLOUD_SERVER");
        }

        string path = ConfigPath(environment);
        if (File.Exists(path) && ReadServer(path) is { Length: > 0 } fromFile)
        {
            return Parse(fromFile, path);
        }

        return new Uri(DefaultServer);
    }

    /// <summary><c>NEOCTL_CONFIG</c>, else <c>$XDG_CONFIG_HOME/neoctl/config.yaml</c>, else <c>~/.config/neoctl/config.yaml</c>.</summary>
    public static string ConfigPath(Func<string, string?> environment)
    {
        if (environment("NEOCTL_CONFIG") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        string configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "neoctl", "config.yaml");
    }

    private static string? ReadServer(string path)
    {
        try
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .IgnoreUnmatchedProperties()
                .Build();
            return deserializer.Deserialize<ConfigFile?>(File.ReadAllText(path))?.Server;
        }
        catch (YamlException ex)
        {
            throw new Api.UsageException($"config file {path} is not valid YAML: {ex.Message}");
        }
    }

    private static Uri Parse(string text, string source) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new Api.UsageException($"server '{text}' from {source} is not an http(s) URL");

    /// <summary>The shape of <c>config.yaml</c>.</summary>
    private sealed class ConfigFile
    {
        public string? Server { get; set; }
    }
}
