using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>The declared runbooks, by name (immutable: a new manifest makes a new catalog), and which of them a firing alert triggers.</summary>
public sealed class RunbookCatalog
{
    private readonly SortedDictionary<string, Runbook> _byName = new(StringComparer.Ordinal);

    public RunbookCatalog(IEnumerable<Runbook> runbooks)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        foreach (var runbook in runbooks)
        {
            if (!_byName.TryAdd(runbook.Name, runbook))
            {
                throw new ArgumentException($"Runbook '{runbook.Name}' is declared twice.", nameof(runbooks));
            }
        }
    }

    public static RunbookCatalog Empty { get; } = new([]);

    /// <summary>Every runbook, by name.</summary>
    public IReadOnlyList<Runbook> All => [.. _byName.Values];

    public Runbook? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>This catalog with <paramref name="runbook"/> added, or replacing the one of its name.</summary>
    public RunbookCatalog With(Runbook runbook)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        return new RunbookCatalog(_byName.Values.Where(r => r.Name != runbook.Name).Append(runbook));
    }

    /// <summary>
    /// The runbooks a firing alert triggers (the first of each runbook's triggers whose matchers all match), with their
    /// parameters bound from the alert's labels. A match whose labels leave a required parameter unbound is returned with
    /// the reason, not started. A resolved alert triggers nothing.
    /// </summary>
    public IReadOnlyList<RunbookMatch> Triggered(Alert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.IsResolvedAt(now) ? [] : Triggered(alert);
    }

    /// <summary>The runbooks <paramref name="alert"/> triggers, taking it as firing (the caller knows it is).</summary>
    public IReadOnlyList<RunbookMatch> Triggered(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var matches = new List<RunbookMatch>();
        foreach (var runbook in _byName.Values)
        {
            if (runbook.Triggers.FirstOrDefault(t => t.Matches(alert)) is not { } trigger)
            {
                continue;
            }

            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (var (name, template) in trigger.Parameters)
            {
                try
                {
                    given[name] = RunbookTemplate.Render(template, new Dictionary<string, string>(), alert.Labels);
                }
                catch (FormatException ex)
                {
                    // An optional parameter the labels cannot fill keeps its default; a required one is reported below.
                    if (runbook.Parameters.First(p => p.Name == name) is { Required: true, Default: null })
                    {
                        problems.Add($"parameter '{name}': {ex.Message}");
                    }
                }
            }

            var bound = runbook.Bind(given, problems);
            matches.Add(new RunbookMatch(runbook, bound, problems.Count == 0 ? null : string.Join("; ", problems.Distinct(StringComparer.Ordinal))));
        }

        return matches;
    }
}
