using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Reliability.Budgets;

/// <summary>An error-budget policy file was rejected; every problem is listed with its line, column and field.</summary>
public sealed class ErrorBudgetPolicyException : SpecException
{
    public ErrorBudgetPolicyException(IReadOnlyList<SpecError> errors) : base("error-budget policy", errors)
    {
    }

    public ErrorBudgetPolicyException() : base()
    {
    }

    public ErrorBudgetPolicyException(string message) : base(message)
    {
    }

    public ErrorBudgetPolicyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
