using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Health;

/// <summary>Refuses to start on invalid <c>NeoCloud:Health</c> settings, naming each bad key and what it accepts.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
