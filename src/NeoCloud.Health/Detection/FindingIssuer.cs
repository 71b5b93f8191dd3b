using System.Buffers.Binary;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Detection;

/// <summary>
/// Makes the findings of one engine: ids that are unique and sort by time without a clock (the frame's time, a per-engine
/// sequence number so ids raised in one millisecond keep their order, and seeded random bits so two engines differ).
/// </summary>
internal sealed class FindingIssuer(int seed)
{
    private readonly Random _random = new(seed);
    private uint _sequence;

    public Finding Issue(
        FaultCode fault,
        ComponentRef component,
        string? node,
        DateTimeOffset firstSeenAt,
        DateTimeOffset detectedAt,
        string summary,
        Evidence[] evidence,
        long work) =>
        new(NextId(detectedAt), fault.Code, component, fault.Severity, fault.Fatal, firstSeenAt, detectedAt, summary, evidence, work)
        {
            Node = node,
        };

    private string NextId(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[10];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, _sequence++);
        _random.NextBytes(bytes[4..]);
        return SortableId.Format("fnd", at, bytes);
    }
}
