using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Hosting;

/// <summary>Where the all-in-one host keeps its data and which fleet it starts with; bound from <c>NeoCloud:Host</c>.</summary>
public sealed class NeoCloudHostOptions
{
    public const string Section = "NeoCloud:Host";

    /// <summary>The folder for the embedded store's files (SQLite database, buffers).</summary>
    public string DataDir { get; set; } = "./.data";

    /// <summary>A <c>kind: Fleet</c> file imported on first start; null for the built-in default fleet.</summary>
    public string? FleetFile { get; set; }
}

/// <summary>Rejects host options that cannot work, at start-up rather than at first use.</summary>
internal sealed class NeoCloudHostOptionsValidator : IValidateOptions<NeoCloudHostOptions>
{
    public ValidateOptionsResult Validate(string? name, NeoCloudHostOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add($"{NeoCloudHostOptions.Section}:DataDir must name a folder.");
        }

        if (!string.IsNullOrEmpty(options.FleetFile) && !File.Exists(options.FleetFile))
        {
            failures.Add($"{NeoCloudHostOptions.Section}:FleetFile '{options.FleetFile}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
