namespace NeoCloud.Workloads.Specs;

/// <summary>What to run, opaque to the control plane: handed to the executor as it was written.</summary>
/// <param name="Env">Environment variables for the work; keys the executor understands (e.g. the twin's <c>twin.work</c>) steer it too.</param>
public sealed record RunSpec(string? Image, IReadOnlyList<string> Command, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string>? Env = null)
{
    public static readonly RunSpec None = new(null, [], []);

    /// <summary>The environment, empty when none was given.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, string> Variables => Env ?? EmptyEnv;

    private static readonly IReadOnlyDictionary<string, string> EmptyEnv = new Dictionary<string, string>(StringComparer.Ordinal);

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

        foreach (var (key, value) in Variables)
        {
            command[$"env.{key}"] = value;
        }

        return command;
    }
}
