using System.Text;
using System.Text.Unicode;

namespace NeoCloud.Telemetry.Exposition;

/// <summary>
/// The samples of one parsed page, stored as parallel arrays and reused page after page: keep one
/// batch per scrape target so its interned names, label values and label sets carry over.
/// </summary>
/// <remarks>
/// A batch is filled only by <see cref="PrometheusTextParser"/>; after a failed parse it is empty.
/// Not thread-safe: one batch belongs to one scrape loop.
/// </remarks>
public sealed class SampleBatch
{
    // When the intern tables pass these, they are started afresh at the beginning of the next page
    // (never in the middle of one), so label churn (pod names) cannot grow a batch without bound.
    internal const int MaxInternedStrings = 1 << 17;
    internal const int MaxInternedBytes = 16 << 20;

    internal readonly Utf8KeyTable<string> Strings = new();

    // Label sets, keyed by their raw bytes from '{' to '}'; each names a run of (name, value) ids in the pool.
    internal readonly Utf8KeyTable<LabelRun> LabelSets = new();
    internal int[] PoolNames = new int[1024];
    internal int[] PoolValues = new int[1024];
    internal int PoolCount;

    internal int[] SampleName = new int[256];
    internal double[] SampleValue = new double[256];
    internal long[] SampleTimestamp = new long[256];
    internal bool[] SampleHasTimestamp = new bool[256];
    internal int[] SampleLabelStart = new int[256];
    internal int[] SampleLabelCount = new int[256];
    internal int[] SampleFamily = new int[256];
    internal int[] SampleLine = new int[256];

    internal int[] FamilyName = new int[32];
    internal MetricType[] FamilyType = new MetricType[32];
    internal bool[] FamilyTyped = new bool[32];
    internal int[] FamilyHelp = new int[32];
    internal int[] FamilySampleCount = new int[32];

    // Family index by metric-name string id, valid where the stamp equals the current page's stamp:
    // this avoids clearing the map on every page.
    private int[] _familyOfName = new int[256];
    private int[] _familyOfNameStamp = new int[256];
    private int _stamp;

    private byte[] _scratch = new byte[256];
    private int _count;
    private int _familyCount;

    internal readonly record struct LabelRun(int Start, int Count);

    /// <summary>Number of samples of the last page parsed successfully (0 after a failure).</summary>
    public int Count => _count;

    /// <summary>Number of metric families of the last page parsed successfully.</summary>
    public int FamilyCount => _familyCount;

    public Sample this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return new Sample(this, index);
        }
    }

    public MetricFamily GetFamily(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_familyCount, nameof(index));
        return new MetricFamily(this, index);
    }

    /// <summary>Enumerates the samples without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Empties the batch; interned strings are kept for the next page.</summary>
    public void Clear()
    {
        _count = 0;
        _familyCount = 0;
    }

    internal void BeginPage()
    {
        _count = 0;
        _familyCount = 0;
        if (Strings.Count > MaxInternedStrings || Strings.KeyByteCount > MaxInternedBytes
            || LabelSets.KeyByteCount > MaxInternedBytes)
        {
            Strings.Clear();
            LabelSets.Clear();
            PoolCount = 0;
        }

        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_familyOfNameStamp);
            _stamp = 1;
        }
    }

    internal void Commit(int count, int familyCount)
    {
        _count = count;
        _familyCount = familyCount;
    }

    /// <summary>Interns a UTF-8 string; -1 when the bytes are not valid UTF-8.</summary>
    internal int Intern(ReadOnlySpan<byte> utf8)
    {
        int hash = Utf8KeyTable<string>.Hash(utf8);
        int id = Strings.Find(utf8, hash);
        if (id >= 0)
        {
            return id;
        }

        // Validated once, when first seen: later pages find the same bytes and skip this.
        return Utf8.IsValid(utf8) ? Strings.Add(utf8, hash, Encoding.UTF8.GetString(utf8)) : -1;
    }

    /// <summary>The id of an interned string, or -1 if this batch has not seen it.</summary>
    internal int FindString(ReadOnlySpan<byte> utf8) => Strings.Find(utf8);

    internal string StringAt(int id) => Strings.ValueAt(id);

    internal int FindFamily(int nameId)
    {
        return nameId < _familyOfName.Length && _familyOfNameStamp[nameId] == _stamp ? _familyOfName[nameId] : -1;
    }

    internal int AddFamily(int nameId, int familyCount)
    {
        if (familyCount == FamilyName.Length)
        {
            int size = familyCount * 2;
            Array.Resize(ref FamilyName, size);
            Array.Resize(ref FamilyType, size);
            Array.Resize(ref FamilyTyped, size);
            Array.Resize(ref FamilyHelp, size);
            Array.Resize(ref FamilySampleCount, size);
        }

        FamilyName[familyCount] = nameId;
        FamilyType[familyCount] = MetricType.Untyped;
        FamilyTyped[familyCount] = false;
        FamilyHelp[familyCount] = -1;
        FamilySampleCount[familyCount] = 0;

        if (nameId >= _familyOfName.Length)
        {
            int size = Math.Max(_familyOfName.Length * 2, nameId + 1);
            Array.Resize(ref _familyOfName, size);
            Array.Resize(ref _familyOfNameStamp, size);
        }

        _familyOfName[nameId] = familyCount;
        _familyOfNameStamp[nameId] = _stamp;
        return familyCount;
    }

    internal void EnsureSampleCapacity(int count)
    {
        if (count < SampleName.Length)
        {
            return;
        }

        int size = SampleName.Length * 2;
        Array.Resize(ref SampleName, size);
        Array.Resize(ref SampleValue, size);
        Array.Resize(ref SampleTimestamp, size);
        Array.Resize(ref SampleHasTimestamp, size);
        Array.Resize(ref SampleLabelStart, size);
        Array.Resize(ref SampleLabelCount, size);
        Array.Resize(ref SampleFamily, size);
        Array.Resize(ref SampleLine, size);
    }

    /// <summary>A grow-only buffer for unescaping one label value or HELP text.</summary>
    internal byte[] ScratchFor(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        return _scratch;
    }

    internal void EnsurePoolCapacity(int count)
    {
        if (count <= PoolNames.Length)
        {
            return;
        }

        int size = Math.Max(PoolNames.Length * 2, count);
        Array.Resize(ref PoolNames, size);
        Array.Resize(ref PoolValues, size);
    }

    /// <summary>A struct enumerator over the samples of a batch.</summary>
    public struct Enumerator
    {
        private readonly SampleBatch _batch;
        private int _index;

        internal Enumerator(SampleBatch batch)
        {
            _batch = batch;
            _index = -1;
        }

        public readonly Sample Current => new(_batch, _index);

        public bool MoveNext() => ++_index < _batch._count;
    }
}
