namespace NeoCloud.Scheduling.Openb;

/// <summary>An openb CSV file is malformed: says which file and line, and what is wrong there.</summary>
public sealed class OpenbFormatException : Exception
{
    public OpenbFormatException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
    }

    public OpenbFormatException()
    {
        File = "";
    }

    public OpenbFormatException(string message)
        : base(message)
    {
        File = "";
    }

    public OpenbFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
    }

    public string File { get; }

    /// <summary>1-based line number in the file (the header is line 1).</summary>
    public int Line { get; }
}
