namespace NeoCloud.Reliability.Alerting;

/// <summary>The four matcher operators of Alertmanager: <c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
public enum MatchOperator
{
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}
