namespace NeoCloud.Fleet.Lifecycle;

/// <summary>The names of lifecycle changes as the audit log and traces spell them: <c>node.cordon</c>, <c>gpu.transition.quarantined</c>.</summary>
public static class LifecycleActions
{
    public const string Node = "node";
    public const string Gpu = "gpu";

    /// <param name="subjectKind"><see cref="Node"/> or <see cref="Gpu"/>.</param>
    public static string For(string subjectKind, LifecycleState to) => subjectKind + "." + VerbFor(to);

    private static string VerbFor(LifecycleState to) => to switch
    {
        LifecycleState.Cordoned => "cordon",
        LifecycleState.Available => "uncordon",
        _ => "transition." + to.ToString().ToLowerInvariant(),
    };
}
