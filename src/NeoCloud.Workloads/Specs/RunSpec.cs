namespace NeoCloud.Workloads.Specs;

/// <summary>What to run, opaque to the control plane: handed to the executor as it was written.</summary>
public sealed record RunSpec(string? Image, IReadOnlyList<string> Command, IReadOnlyList<string> Args)
{
    public static readonly RunSpec None = new(null, [], []);

    /// <summary>The form executors take (<c>ExecutionRequest.Command</c>): image, command and args, lists joined by spaces.</summary>
    public IReadOnlyDictionary<string, string> ToCommand()
    {
        var command = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Image is not null)
        {
            command["image"] = Image;
        }

        if (Command.Count > 0)
        {
            command["command"] = string.Join(' ', Command);
        }

        if (Args.Count > 0)
        {
            command["args"] = string.Join(' ', Args);
        }

        return command;
    }
}
