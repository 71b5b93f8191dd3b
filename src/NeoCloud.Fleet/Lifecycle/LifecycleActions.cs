using System.Text.Json;

namespace NeoCloud.Fleet.Lifecycle;

/// <summary>The names of lifecycle changes as the audit log and traces spell them: <c>node.cordon</c>, <c>gpu.transition.quarantined</c>.</summary>
public static class LifecycleActions
{
    public const string Node = "node";
    public const string Gpu = "gpu";

    /// <param name="subjectKind"><see cref="Node"/> or <see cref="Gpu"/>.</param>
    public static string For(string subjectKind, LifecycleState to) => subjectKind + "." + VerbFor(to);

    /// <summary>A state as the API and the audit log spell it: <c>burn-in</c>, <c>quarantined</c>.</summary>
    public static string StateName(LifecycleState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    private static string VerbFor(LifecycleState to) => to switch
    {
        LifecycleState.Cordoned => "cordon",
        LifecycleState.Available => "uncordon",
        _ => "transition." + StateName(to),
    };
}
