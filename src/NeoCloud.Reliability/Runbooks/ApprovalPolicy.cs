namespace NeoCloud.Reliability.Runbooks;

/// <summary>Whether a step waits for a person to approve it before it runs (<c>approval: required|none</c>).</summary>
public enum ApprovalPolicy
{
    None,
    Required,
}
