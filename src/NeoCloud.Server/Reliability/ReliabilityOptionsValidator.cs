using Microsoft.Extensions.Options;

namespace NeoCloud.Server.Reliability;

/// <summary>Refuses a reliability configuration that cannot work, naming each key that is wrong, all at once.</summary>
internal sealed class ReliabilityOptionsValidator : IValidateOptions<ReliabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ReliabilityOptions options)
    {
        var errors = new List<string>();
        if (options.StepInterval <= TimeSpan.Zero)
        {
            errors.Add($"{ReliabilityOptions.Section}:StepInterval must be positive (it is {options.StepInterval}).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Webhooks.Count; i++)
        {
            var webhook = options.Webhooks[i];
            string key = $"{ReliabilityOptions.Section}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(webhook.Name))
            {
                errors.Add($"{key}:Name is required (it names the receiver in payloads and metrics).");
            }
            else if (!names.Add(webhook.Name))
            {
                errors.Add($"{key}:Name '{webhook.Name}' is used by another webhook.");
            }

            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:Url '{webhook.Url}' is not an absolute http or https URL.");
            }
        }

        if (options.OnCallSchedulePath is { Length: > 0 } path && !File.Exists(path))
        {
            errors.Add($"{ReliabilityOptions.Section}:OnCallSchedulePath '{path}' does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
