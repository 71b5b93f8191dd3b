using System.Text.RegularExpressions;

namespace NeoCloud.Reliability.Alerting;

/// <summary>
/// A label matcher as silences, inhibit rules and routes use it. Regexes are anchored at both ends, as in Alertmanager,
/// and a missing label matches as the empty string (so <c>gpu!=""</c> means "has a gpu label").
/// </summary>
public sealed record Matcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;

    public Matcher(string name, MatchOperator type, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Operator = type;
        Value = value;
        if (type is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            // Anchored like Alertmanager (^(?:value)$); an invalid pattern fails here, when the silence is made.
            _regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, RegexTimeout);
        }
    }

    public string Name { get; }

    public MatchOperator Operator { get; }

    public string Value { get; }

    public static Matcher Equal(string name, string value) => new(name, MatchOperator.Equal, value);

    public static Matcher NotEqual(string name, string value) => new(name, MatchOperator.NotEqual, value);

    public static Matcher Regex(string name, string pattern) => new(name, MatchOperator.Regex, pattern);

    public static Matcher NotRegex(string name, string pattern) => new(name, MatchOperator.NotRegex, pattern);

    /// <summary>Parses <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c> or <c>name!~regex</c>; quotes around the value are dropped.</summary>
    public static Matcher Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.IndexOfAny(['=', '!']);
        if (at <= 0)
        {
            throw new FormatException($"'{text}' is not a matcher: expected name=value, name!=value, name=~regex or name!~regex.");
        }

        string name = text[..at].Trim();
        string rest = text[at..];
        (MatchOperator type, int length) = rest switch
        {
            _ when rest.StartsWith("=~", StringComparison.Ordinal) => (MatchOperator.Regex, 2),
            _ when rest.StartsWith("!~", StringComparison.Ordinal) => (MatchOperator.NotRegex, 2),
            _ when rest.StartsWith("!=", StringComparison.Ordinal) => (MatchOperator.NotEqual, 2),
            _ when rest.StartsWith('=') => (MatchOperator.Equal, 1),
            _ => throw new FormatException($"'{text}' has no matcher operator (=, !=, =~, !~)."),
        };
        string value = text[(at + length)..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return new Matcher(name, type, value);
    }

    public bool Matches(Alert alert) => Matches(alert[Name]);

    public bool Matches(string labelValue) => Operator switch
    {
        MatchOperator.Equal => labelValue == Value,
        MatchOperator.NotEqual => labelValue != Value,
        MatchOperator.Regex => _regex!.IsMatch(labelValue),
        MatchOperator.NotRegex => !_regex!.IsMatch(labelValue),
        _ => throw new InvalidOperationException($"Unknown match operator {Operator}."),
    };

    public bool Equals(Matcher? other) => other is not null && Name == other.Name && Operator == other.Operator && Value == other.Value;

    public override int GetHashCode() => HashCode.Combine(Name, Operator, Value);

    public override string ToString() => Operator switch
    {
        MatchOperator.Equal => $"{Name}=\"{Value}\"",
        MatchOperator.NotEqual => $"{Name}!=\"{Value}\"",
        MatchOperator.Regex => $"{Name}=~\"{Value}\"",
        _ => $"{Name}!~\"{Value}\"",
    };
}
