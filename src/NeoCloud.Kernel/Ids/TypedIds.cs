namespace NeoCloud.Kernel.Ids;

// Typed, printable identifiers (ARCHITECTURE §8). Each wraps the printable string so a NodeId can
// never be passed where a GpuId is expected, and prints as itself in logs, URLs and tables.

/// <summary>A region, e.g. <c>euw1</c>.</summary>
public readonly record struct RegionId(string Value) : IComparable<RegionId>
{
    public override string ToString() => Value;
    public int CompareTo(RegionId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A data center inside a region, e.g. <c>euw1-dc2</c>.</summary>
public readonly record struct SiteId(string Value) : IComparable<SiteId>
{
    public override string ToString() => Value;
    public int CompareTo(SiteId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A pod (scalable unit) inside a site, e.g. <c>euw1-dc2-su1</c>.</summary>
public readonly record struct PodId(string Value) : IComparable<PodId>
{
    public override string ToString() => Value;
    public int CompareTo(PodId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A rack, e.g. <c>euw1-dc2-r07</c>.</summary>
public readonly record struct RackId(string Value) : IComparable<RackId>
{
    public override string ToString() => Value;
    public int CompareTo(RackId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A GPU node, e.g. <c>euw1-dc2-r07-n03</c>.</summary>
public readonly record struct NodeId(string Value) : IComparable<NodeId>
{
    public override string ToString() => Value;
    public int CompareTo(NodeId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>One GPU of a node, e.g. <c>euw1-dc2-r07-n03/gpu5</c>.</summary>
public readonly record struct GpuId(string Value) : IComparable<GpuId>
{
    public static GpuId Of(NodeId node, int index) => new($"{node.Value}/gpu{index}");

    public NodeId Node => new(Value[..Value.IndexOf('/', StringComparison.Ordinal)]);

    public int Index => int.Parse(Value.AsSpan(Value.LastIndexOf("/gpu", StringComparison.Ordinal) + 4), System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => Value;
    public int CompareTo(GpuId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A fabric switch (InfiniBand/RoCE leaf or spine), e.g. <c>euw1-dc2-su1-leaf03</c>.</summary>
public readonly record struct SwitchId(string Value) : IComparable<SwitchId>
{
    public override string ToString() => Value;
    public int CompareTo(SwitchId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A power distribution unit (power domain), e.g. <c>euw1-dc2-r07-pdu1</c>.</summary>
public readonly record struct PduId(string Value) : IComparable<PduId>
{
    public override string ToString() => Value;
    public int CompareTo(PduId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>An NVLink domain: a node's GPUs, or a whole NVL72 rack.</summary>
public readonly record struct NvLinkDomainId(string Value) : IComparable<NvLinkDomainId>
{
    public override string ToString() => Value;
    public int CompareTo(NvLinkDomainId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A tenant renting capacity, e.g. <c>acme</c>.</summary>
public readonly record struct TenantId(string Value) : IComparable<TenantId>
{
    public override string ToString() => Value;
    public int CompareTo(TenantId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A scheduling queue, e.g. <c>acme-training</c>.</summary>
public readonly record struct QueueId(string Value) : IComparable<QueueId>
{
    public override string ToString() => Value;
    public int CompareTo(QueueId other) => string.CompareOrdinal(Value, other.Value);
}

/// <summary>A job or service, e.g. <c>job-01JD3…</c> (a <see cref="SortableId"/> with a prefix).</summary>
public readonly record struct JobId(string Value) : IComparable<JobId>
{
    public override string ToString() => Value;
    public int CompareTo(JobId other) => string.CompareOrdinal(Value, other.Value);
}
