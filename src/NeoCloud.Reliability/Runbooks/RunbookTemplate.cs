using System.Text;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// The argument templates of runbook steps: literal text with <c>{{ .params.NAME }}</c> and <c>{{ .labels.NAME }}</c>
/// holes, nothing else (no functions or pipelines: a runbook's arguments must be predictable from its manifest).
/// </summary>
public static class RunbookTemplate
{
    public const string ParamsScope = "params";
    public const string LabelsScope = "labels";

    /// <summary>One hole in a template: its scope (<c>params</c> or <c>labels</c>) and variable name.</summary>
    public readonly record struct Variable(string Scope, string Name)
    {
        public override string ToString() => $"{{{{ .{Scope}.{Name} }}}}";
    }

    /// <summary>The variables a template uses; null and an error message when the template is malformed.</summary>
    public static IReadOnlyList<Variable>? Variables(string template, out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        var variables = new List<Variable>();
        error = Walk(template, (_, v) => variables.Add(v), null);
        return error is null ? variables : null;
    }

    /// <summary>Renders a template; throws <see cref="FormatException"/> naming the variable when one has no value.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        var text = new StringBuilder(template.Length);
        string? error = Walk(template, (literal, variable) =>
        {
            if (literal is not null)
            {
                text.Append(literal);
                return;
            }

            var source = variable.Scope == ParamsScope ? parameters : labels;
            if (source is null)
            {
                throw new FormatException($"{variable} has no value: this run was not started by an alert, so it has no alert labels.");
            }

            if (!source.TryGetValue(variable.Name, out string? value))
            {
                throw new FormatException(variable.Scope == ParamsScope
                    ? $"{variable} has no value: the parameter was not given and has no default."
                    : $"{variable} has no value: the alert has no label '{variable.Name}'.");
            }

            text.Append(value);
        }, text);
        return error is null ? text.ToString() : throw new FormatException(error);
    }

    // Calls visit(literal, default) for text and visit(null, variable) for holes; returns an error message or null.
    private static string? Walk(string template, Action<string?, Variable> visit, StringBuilder? sink)
    {
        int at = 0;
        while (at < template.Length)
        {
            int open = template.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                Emit(template[at..]);
                break;
            }

            Emit(template[at..open]);
            int close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return $"'{{{{' at position {open + 1} has no closing '}}}}'";
            }

            string inner = template[(open + 2)..close].Trim();
            string[] parts = inner.Split('.');
            if (parts.Length != 3 || parts[0].Length != 0 || parts[1] is not (ParamsScope or LabelsScope) || !IsName(parts[2]))
            {
                return $"'{{{{{template[(open + 2)..close]}}}}}' is not a variable: use {{{{ .params.NAME }}}} or {{{{ .labels.NAME }}}}";
            }

            visit(null, new Variable(parts[1], parts[2]));
            at = close + 2;
        }

        return null;

        void Emit(string literal)
        {
            if (literal.Length > 0 && sink is not null)
            {
                visit(literal, default);
            }
        }
    }

    internal static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
