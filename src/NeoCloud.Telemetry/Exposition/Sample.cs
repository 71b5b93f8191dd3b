using System.Diagnostics.CodeAnalysis;

namespace NeoCloud.Telemetry.Exposition;

/// <summary>A view of one sample in a <see cref="SampleBatch"/>; valid until the batch reads its next page.</summary>
public readonly struct Sample
{
    private readonly SampleBatch _batch;
    private readonly int _index;

    internal Sample(SampleBatch batch, int index)
    {
        _batch = batch;
        _index = index;
    }

    public string Name => _batch.StringAt(_batch.SampleName[_index]);

    public double Value => _batch.SampleValue[_index];

    /// <summary>Milliseconds since the Unix epoch, when the line carried one.</summary>
    public long? Timestamp => _batch.SampleHasTimestamp[_index] ? _batch.SampleTimestamp[_index] : null;

    /// <summary>1-based line of the page the sample was read from.</summary>
    public int Line => _batch.SampleLine[_index];

    public int FamilyIndex => _batch.SampleFamily[_index];

    public MetricFamily Family => new(_batch, _batch.SampleFamily[_index]);

    public int LabelCount => _batch.SampleLabelCount[_index];

    public string GetLabelName(int label) => _batch.StringAt(_batch.PoolNames[LabelSlot(label)]);

    public string GetLabelValue(int label) => _batch.StringAt(_batch.PoolValues[LabelSlot(label)]);

    public bool TryGetLabel(string name, [NotNullWhen(true)] out string? value)
    {
        int start = _batch.SampleLabelStart[_index];
        int end = start + _batch.SampleLabelCount[_index];
        for (int i = start; i < end; i++)
        {
            if (string.Equals(_batch.StringAt(_batch.PoolNames[i]), name, StringComparison.Ordinal))
            {
                value = _batch.StringAt(_batch.PoolValues[i]);
                return true;
            }
        }

        value = null;
        return false;
    }

    private int LabelSlot(int label)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)label, (uint)LabelCount, nameof(label));
        return _batch.SampleLabelStart[_index] + label;
    }
}
