namespace NeoCloud.Telemetry.Exposition;

/// <summary>A view of one metric family (its name, TYPE and HELP) in a <see cref="SampleBatch"/>.</summary>
public readonly struct MetricFamily
{
    private readonly SampleBatch _batch;
    private readonly int _index;

    internal MetricFamily(SampleBatch batch, int index)
    {
        _batch = batch;
        _index = index;
    }

    public string Name => _batch.StringAt(_batch.FamilyName[_index]);

    /// <summary>The declared type; <see cref="MetricType.Untyped"/> when the page had no TYPE line for it.</summary>
    public MetricType Type => _batch.FamilyType[_index];

    /// <summary>The unescaped HELP text, or null when the page had no HELP line for it.</summary>
    public string? Help => _batch.FamilyHelp[_index] < 0 ? null : _batch.StringAt(_batch.FamilyHelp[_index]);

    public int SampleCount => _batch.FamilySampleCount[_index];
}
