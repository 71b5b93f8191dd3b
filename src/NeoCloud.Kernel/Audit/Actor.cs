namespace NeoCloud.Kernel.Audit;

/// <summary>Who changed something: a person, an AI agent, or NeoCloud's own automation.</summary>
public sealed record Actor(ActorKind Kind, string Name)
{
    public static Actor Automation(string component) => new(ActorKind.Automation, component);
    public static Actor Person(string name) => new(ActorKind.Person, name);
    public static Actor Agent(string name) => new(ActorKind.Agent, name);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Name}";

    /// <summary>Parses <c>kind:name</c>; a bare name is a person.</summary>
    public static Actor Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Enum.TryParse(text[..colon], ignoreCase: true, out ActorKind kind))
        {
            return new Actor(kind, text[(colon + 1)..]);
        }

        return Person(text);
    }
}

/// <summary>The kinds of actor the audit log distinguishes.</summary>
public enum ActorKind
{
    Person,
    Agent,
    Automation,
}
