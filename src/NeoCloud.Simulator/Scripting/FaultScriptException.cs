namespace NeoCloud.Simulator.Scripting;

/// <summary>A fault script was rejected; every problem found is listed with its line.</summary>
public sealed class FaultScriptException : Exception
{
    public FaultScriptException(IReadOnlyList<FaultScriptError> errors)
        : base("The fault script is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public FaultScriptException() : this([])
    {
    }

    public FaultScriptException(string message) : base(message)
    {
        Errors = [];
    }

    public FaultScriptException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<FaultScriptError> Errors { get; }
}
