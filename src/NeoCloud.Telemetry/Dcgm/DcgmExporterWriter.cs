using System.Buffers;
using System.Buffers.Text;
using System.Text;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Dcgm;

/// <summary>
/// Writes dcgm-exporter text (HELP and TYPE per family, then one line per GPU, labels in the
/// exporter's order) into a buffer: what the simulator serves as a node's /metrics page.
/// </summary>
/// <remarks>
/// Label values and HELP are escaped as the format requires, so <see cref="PrometheusTextParser"/>
/// reads back exactly what was written. Allocates nothing per line, and being a struct over the
/// buffer, nothing per page either: a twin serving thousands of scrapes makes one per page.
/// </remarks>
public readonly struct DcgmExporterWriter(IBufferWriter<byte> output)
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create("\\\"\n");

    /// <summary>Writes one family: HELP, TYPE, then a line per GPU with <c>values[i]</c> for <c>gpus[i]</c>.</summary>
    /// <remarks>For <see cref="DcgmField.XidErrors"/> each value is taken as the XID, as in <see cref="WriteXidFamily(ReadOnlySpan{DcgmGpuLabels}, ReadOnlySpan{int}, Func{int, string}?)"/>.</remarks>
    public void WriteFamily(DcgmField field, ReadOnlySpan<DcgmGpuLabels> gpus, ReadOnlySpan<double> values) =>
        WriteFamily(field, new LabelSource(gpus), values);

    /// <summary>Writes one family from label sets encoded once (<see cref="DcgmEncodedLabels"/>): the fast path for a source that serves the same GPUs every scrape.</summary>
    public void WriteFamily(DcgmField field, ReadOnlySpan<DcgmEncodedLabels> gpus, ReadOnlySpan<double> values) =>
        WriteFamily(field, new LabelSource(gpus), values);

    /// <summary>Writes the DCGM_FI_DEV_XID_ERRORS family: the last XID per GPU as value and err_code, with its err_msg.</summary>
    /// <param name="gpus">The GPUs, one line each.</param>
    /// <param name="xids">The last XID of each GPU, 0 for none.</param>
    /// <param name="describeXid">The err_msg of an XID, where the caller knows better texts than our short ones (the twin has NVIDIA's catalogue).</param>
    public void WriteXidFamily(ReadOnlySpan<DcgmGpuLabels> gpus, ReadOnlySpan<int> xids, Func<int, string>? describeXid = null) =>
        WriteXidFamily(new LabelSource(gpus), xids, describeXid);

    /// <summary>The XID family from label sets encoded once; see <see cref="WriteXidFamily(ReadOnlySpan{DcgmGpuLabels}, ReadOnlySpan{int}, Func{int, string}?)"/>.</summary>
    public void WriteXidFamily(ReadOnlySpan<DcgmEncodedLabels> gpus, ReadOnlySpan<int> xids, Func<int, string>? describeXid = null) =>
        WriteXidFamily(new LabelSource(gpus), xids, describeXid);

    private void WriteFamily(DcgmField field, LabelSource gpus, ReadOnlySpan<double> values)
    {
        if (gpus.Length != values.Length)
        {
            throw new ArgumentException($"{values.Length} values for {gpus.Length} GPUs: one value per GPU", nameof(values));
        }

        DcgmFieldCatalog.Descriptor descriptor = DcgmFieldCatalog.Describe(field);
        output.Write(descriptor.HeaderUtf8);
        for (int i = 0; i < gpus.Length; i++)
        {
            output.Write(descriptor.NameUtf8);
            gpus.Write(this, i);
            int? xid = field == DcgmField.XidErrors ? (double.IsFinite(values[i]) ? (int)values[i] : 0) : null;
            WriteTail(xid ?? values[i], xid, null);
        }
    }

    private void WriteXidFamily(LabelSource gpus, ReadOnlySpan<int> xids, Func<int, string>? describeXid)
    {
        if (gpus.Length != xids.Length)
        {
            throw new ArgumentException($"{xids.Length} XIDs for {gpus.Length} GPUs: one XID per GPU", nameof(xids));
        }

        DcgmFieldCatalog.Descriptor descriptor = DcgmFieldCatalog.Describe(DcgmField.XidErrors);
        output.Write(descriptor.HeaderUtf8);
        for (int i = 0; i < gpus.Length; i++)
        {
            output.Write(descriptor.NameUtf8);
            gpus.Write(this, i);
            WriteTail(xids[i], xids[i], describeXid);
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> utf8) => output.Write(utf8);

    /// <summary>The label block from <c>{</c> to the end of the pod label's value, without its closing quote.</summary>
    internal void WriteLabels(in DcgmGpuLabels gpu)
    {
        output.Write("{gpu=\""u8);
        WriteInteger(gpu.Gpu);
        output.Write("\",UUID=\""u8);
        WriteEscaped(gpu.Uuid);
        output.Write("\",pci_bus_id=\""u8);
        WriteEscaped(gpu.PciBusId);
        output.Write("\",device=\""u8);
        WriteEscaped(gpu.Device);
        output.Write("\",modelName=\""u8);
        WriteEscaped(gpu.ModelName);
        if (gpu.MigProfile is not null)
        {
            output.Write("\",GPU_I_PROFILE=\""u8);
            WriteEscaped(gpu.MigProfile);
        }

        if (gpu.MigInstanceId is int instance)
        {
            output.Write("\",GPU_I_ID=\""u8);
            WriteInteger(instance);
        }

        output.Write("\",Hostname=\""u8);
        WriteEscaped(gpu.Hostname);
        output.Write("\",container=\""u8);
        WriteEscaped(gpu.Container);
        output.Write("\",namespace=\""u8);
        WriteEscaped(gpu.Namespace);
        output.Write("\",pod=\""u8);
        WriteEscaped(gpu.Pod);
    }

    private void WriteTail(double value, int? xid, Func<int, string>? describeXid)
    {
        if (xid is int code)
        {
            output.Write("\",err_code=\""u8);
            WriteInteger(code);
            output.Write("\",err_msg=\""u8);
            WriteEscaped(describeXid is null ? XidDescriptions.Describe(code) : describeXid(code));
        }

        output.Write("\"} "u8);
        Span<byte> span = output.GetSpan(32);
        output.Advance(ExpositionNumbers.FormatValue(value, span));
        output.Write("\n"u8);
    }

    private void WriteInteger(long value)
    {
        Span<byte> span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    private void WriteEscaped(string? value)
    {
        ReadOnlySpan<char> rest = value;
        while (true)
        {
            int special = rest.IndexOfAny(NeedsEscape);
            ReadOnlySpan<char> plain = special < 0 ? rest : rest[..special];
            if (!plain.IsEmpty)
            {
                // Escapes are ASCII, so cutting there never splits a surrogate pair.
                Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length));
                output.Advance(Encoding.UTF8.GetBytes(plain, span));
            }

            if (special < 0)
            {
                return;
            }

            output.Write(rest[special] switch
            {
                '\\' => "\\\\"u8,
                '"' => "\\\""u8,
                _ => "\\n"u8,
            });
            rest = rest[(special + 1)..];
        }
    }

    /// <summary>The GPUs' labels either as values to escape per line or as bytes encoded once.</summary>
    private readonly ref struct LabelSource
    {
        private readonly ReadOnlySpan<DcgmGpuLabels> _plain;
        private readonly ReadOnlySpan<DcgmEncodedLabels> _encoded;
        private readonly bool _isEncoded;

        public LabelSource(ReadOnlySpan<DcgmGpuLabels> plain) => _plain = plain;

        public LabelSource(ReadOnlySpan<DcgmEncodedLabels> encoded)
        {
            _encoded = encoded;
            _isEncoded = true;
        }

        public int Length => _isEncoded ? _encoded.Length : _plain.Length;

        public void Write(DcgmExporterWriter writer, int i)
        {
            if (_isEncoded)
            {
                writer.WriteRaw(_encoded[i].Utf8);
            }
            else
            {
                writer.WriteLabels(_plain[i]);
            }
        }
    }
}
