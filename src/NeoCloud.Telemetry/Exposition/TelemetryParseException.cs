namespace NeoCloud.Telemetry.Exposition;

/// <summary>A page of exposition text that could not be read, with the 1-based line and byte column where it broke.</summary>
public sealed class TelemetryParseException : Exception
{
    public TelemetryParseException()
    {
    }

    public TelemetryParseException(string message)
        : base(message)
    {
    }

    public TelemetryParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TelemetryParseException(int line, int column, string reason)
        : base($"line {line}, column {column}: {reason}")
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>1-based line number in the page.</summary>
    public int Line { get; }

    /// <summary>1-based column, counted in bytes of the UTF-8 line (a multi-byte character counts for each of its bytes).</summary>
    public int Column { get; }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; } = "";
}
