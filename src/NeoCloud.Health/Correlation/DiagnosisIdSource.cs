using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Correlation;

/// <summary>
/// Makes diagnosis ids that sort by the time they were decided; the random part comes from a seeded generator so a
/// simulated run makes the same ids every time (ids need to be unique and reproducible, not unguessable).
/// </summary>
internal sealed class DiagnosisIdSource(int seed)
{
    private readonly Random _random = new(seed);

    public string Next(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[10];
        _random.NextBytes(bytes);
        return SortableId.Format("dgn", at, bytes);
    }
}
