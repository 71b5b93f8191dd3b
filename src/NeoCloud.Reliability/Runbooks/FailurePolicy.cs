namespace NeoCloud.Reliability.Runbooks;

/// <summary>What a run does when a step fails (<c>onFailure: stop|continue</c>).</summary>
public enum FailurePolicy
{
    Stop,
    Continue,
}
