using System.Globalization;
using NeoCloud.Kernel.Manifests;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.Budgets;

/// <summary>
/// Reads a <c>kind: ErrorBudgetPolicy</c> manifest; a bad file is rejected whole, every error with its line, column and
/// field path, unknown fields included (a misspelt bound must not quietly let changes through a spent budget).
/// </summary>
public static class ErrorBudgetPolicyReader
{
    public static ErrorBudgetPolicy Parse(string yaml)
    {
        var errors = new List<SpecError>();
        return TryParse(yaml, errors) ?? throw new ErrorBudgetPolicyException(errors);
    }

    public static ErrorBudgetPolicy ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the manifest; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static ErrorBudgetPolicy? TryParse(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        if (ManifestDocument.Load(yaml, ErrorBudgetPolicy.Kind, errors) is not { } document)
        {
            return null;
        }

        document.Metadata?.RejectUnknown();
        var spec = document.Spec;
        var services = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var serviceNodes = spec.Sequence("services", required: false);
        for (int i = 0; i < serviceNodes.Count; i++)
        {
            if (serviceNodes[i] is YamlScalarNode { Value: { Length: > 0 } service })
            {
                if (!seen.Add(service))
                {
                    errors.Add(new SpecError(SpecMapping.Line(serviceNodes[i]), SpecMapping.Column(serviceNodes[i]), $"{spec.Join("services")}[{i}]", $"'{service}' is listed twice"));
                }

                services.Add(service);
            }
            else
            {
                errors.Add(new SpecError(SpecMapping.Line(serviceNodes[i]), SpecMapping.Column(serviceNodes[i]), $"{spec.Join("services")}[{i}]", "must be a service name"));
            }
        }

        var rules = new List<BudgetRule>();
        var ruleNodes = spec.Sequence("rules", required: true);
        var verdicts = new HashSet<BudgetVerdict>();
        for (int i = 0; i < ruleNodes.Count; i++)
        {
            if (SpecMapping.From(ruleNodes[i], $"{spec.Join("rules")}[{i}]", errors) is not { } r)
            {
                continue;
            }

            double? below = Bound(r);
            string? text = r.String("decision", required: true);
            r.RejectUnknown();
            BudgetVerdict? verdict = text switch
            {
                "needsApproval" => BudgetVerdict.NeedsApproval,
                "frozen" => BudgetVerdict.Frozen,
                _ => null,
            };
            if (text is not null && verdict is null)
            {
                r.Error(r.Get("decision"), "decision", $"must be needsApproval or frozen, got '{text}'");
            }
            else if (verdict is { } v && !verdicts.Add(v))
            {
                r.Error(r.Get("decision"), "decision", $"'{text}' is given by two rules; keep the one with the higher bound");
            }

            if (below is { } b && verdict is { } d)
            {
                rules.Add(new BudgetRule(b, d));
            }
        }

        if (ruleNodes.Count == 0 && spec.Get("rules") is not null)
        {
            spec.Error(spec.Get("rules"), "rules", "must hold at least one rule");
        }

        spec.RejectUnknown();
        return errors.Count > before ? null : new ErrorBudgetPolicy(document.Name, services, rules);
    }

    /// <summary><c>budgetRemainingBelow</c>: a ratio (0.1) or a percentage (10%), from −100% (twice overspent) to 100%.</summary>
    private static double? Bound(SpecMapping r)
    {
        var node = r.Get("budgetRemainingBelow");
        if (node is null)
        {
            r.Error(null, "budgetRemainingBelow", "is required (a share of the budget such as 10% or 0.1; 0 means overspent)");
            return null;
        }

        string? text = (node as YamlScalarNode)?.Value?.Trim();
        bool percent = text?.EndsWith('%') == true;
        string number = percent ? text![..^1] : text ?? "";
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            r.Error(node, "budgetRemainingBelow", $"must be a share of the budget such as 10% or 0.1, got '{text}'");
            return null;
        }

        value = percent ? value / 100 : value;
        if (value is < -1 or > 1)
        {
            r.Error(node, "budgetRemainingBelow", $"must be between -100% and 100% of the budget, got '{text}'");
            return null;
        }

        return value;
    }
}
