namespace NeoCloud.Reliability.Runbooks;

/// <summary>An approval was refused: the approver started the run (two-person rule), or the run waits for no approval.</summary>
public sealed class RunbookApprovalException : InvalidOperationException
{
    public RunbookApprovalException()
    {
    }

    public RunbookApprovalException(string message) : base(message)
    {
    }

    public RunbookApprovalException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>True when the approver is the one who started the run: a refusal of who, not of when (403, not 409).</summary>
    public bool IsSelfApproval { get; init; }
}
