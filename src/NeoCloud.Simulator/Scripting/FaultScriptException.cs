using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Simulator.Scripting;

/// <summary>A fault script was rejected; every problem found is listed with its line.</summary>
public sealed class FaultScriptException : SpecException
{
    public FaultScriptException(IReadOnlyList<SpecError> errors) : base("fault script", errors)
    {
    }

    public FaultScriptException()
    {
    }

    public FaultScriptException(string message) : base(message)
    {
    }

    public FaultScriptException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
