using System.Buffers;

namespace NeoCloud.Telemetry.Dcgm;

/// <summary>
/// A GPU's dcgm-exporter label set, escaped and encoded to UTF-8 once. A source that serves the same GPUs on every
/// scrape keeps these and writes each line by copying bytes instead of escaping nine strings again.
/// </summary>
public sealed class DcgmEncodedLabels
{
    private readonly byte[] _utf8;

    private DcgmEncodedLabels(DcgmGpuLabels labels, byte[] utf8)
    {
        Labels = labels;
        _utf8 = utf8;
    }

    public DcgmGpuLabels Labels { get; }

    /// <summary>The label block from <c>{</c> to the end of the last label's value (the closing quote is written with the value).</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    public static DcgmEncodedLabels Encode(DcgmGpuLabels labels)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        new DcgmExporterWriter(buffer).WriteLabels(labels);
        return new DcgmEncodedLabels(labels, buffer.WrittenSpan.ToArray());
    }
}
