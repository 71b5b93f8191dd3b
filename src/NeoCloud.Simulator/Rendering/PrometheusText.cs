using System.Buffers;
using System.Globalization;
using System.Text;

namespace NeoCloud.Simulator.Rendering;

/// <summary>Small UTF-8 writes into an <see cref="IBufferWriter{T}"/>, for the InfiniBand counter page without strings per sample.</summary>
/// <remarks>dcgm pages go through the Telemetry context's <see cref="NeoCloud.Telemetry.Dcgm.DcgmExporterWriter"/>.</remarks>
internal static class PrometheusText
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public static void Write(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(24);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>The HELP and TYPE lines that open a metric family.</summary>
    public static byte[] Header(string name, string type, string help) =>
        Encoding.UTF8.GetBytes($"# HELP {name} {help}\n# TYPE {name} {type}\n");

    /// <summary>Escapes a label value as the exposition format asks: backslash, double quote and newline.</summary>
    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
