namespace NeoCloud.Health.Findings;

/// <summary>What kind of thing a finding or a diagnosis points at.</summary>
public enum ComponentKind
{
    Gpu,
    Node,

    /// <summary>One NIC port of a node: <c>node-id/mlx5_R</c> (rail R).</summary>
    Port,

    /// <summary>A leaf (or spine) switch, by its switch id.</summary>
    Switch,

    /// <summary>A power distribution unit, by its PDU id.</summary>
    Pdu,

    /// <summary>A job (the work, not the hardware), by its printable name.</summary>
    Job,
}

/// <summary>A component by kind and printable id (<c>euw1-dc2-r07-n03/gpu5</c>, <c>euw1-dc2-r07-n03</c>, ...).</summary>
public readonly record struct ComponentRef(ComponentKind Kind, string Id)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Id}";
}
