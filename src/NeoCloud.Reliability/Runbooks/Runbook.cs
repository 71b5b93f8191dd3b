namespace NeoCloud.Reliability.Runbooks;

/// <summary>A declared <c>kind: Runbook</c>: its parameters, the alerts that trigger it and its steps, with the hash of the manifest text it came from.</summary>
public sealed record Runbook(
    string Name,
    string Description,
    IReadOnlyList<RunbookParameter> Parameters,
    IReadOnlyList<AlertTrigger> Triggers,
    IReadOnlyList<RunbookStep> Steps,
    string ManifestHash)
{
    public const string Kind = "Runbook";

    /// <summary>
    /// The parameters a run gets: those given, then defaults. Adds a problem for each unknown parameter and each required
    /// one that is missing; the result is only meaningful when none was added.
    /// </summary>
    public IReadOnlyDictionary<string, string> Bind(IReadOnlyDictionary<string, string> given, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(problems);
        var bound = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in given)
        {
            if (Parameters.All(p => p.Name != name))
            {
                problems.Add($"'{name}' is not a parameter of runbook '{Name}' (its parameters: {(Parameters.Count == 0 ? "none" : string.Join(", ", Parameters.Select(p => p.Name)))})");
                continue;
            }

            bound[name] = value;
        }

        foreach (var parameter in Parameters.Where(p => !bound.ContainsKey(p.Name)))
        {
            if (parameter.Default is { } fallback)
            {
                bound[parameter.Name] = fallback;
            }
            else if (parameter.Required)
            {
                problems.Add($"parameter '{parameter.Name}' is required{(parameter.Description.Length > 0 ? $" ({parameter.Description})" : "")}");
            }
        }

        return bound;
    }
}
