using System.Globalization;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Dcgm;

/// <summary>
/// Turns dcgm-exporter pages into <see cref="GpuReading"/>s, one per GPU and catalogued field.
/// Keep one reader per exporter: it owns the <see cref="SampleBatch"/> whose interned strings
/// make the next page of the same exporter allocation-free.
/// </summary>
/// <remarks>
/// Families outside <see cref="DcgmFieldCatalog"/> (DCGM_EXP_*, fields we do not use) and lines
/// without a <c>gpu</c> label (NVSwitch, CPU entities) are skipped. Like the parser, a page is read
/// whole or not at all: on an error no reading of it is left in the list. Not thread-safe.
/// </remarks>
public sealed class DcgmPageReader
{
    private readonly SampleBatch _batch = new();
    private DcgmField[] _fieldOfFamily = new DcgmField[64];

    /// <summary>Parses a page and appends its readings; returns how many were appended.</summary>
    /// <exception cref="TelemetryParseException">The page is not valid exposition text or a DCGM label is malformed.</exception>
    public int Read(ReadOnlySpan<byte> page, List<GpuReading> readings)
    {
        PrometheusTextParser.Parse(page, _batch);
        return Read(_batch, readings);
    }

    /// <summary>Appends the readings of an already parsed page; returns how many were appended.</summary>
    /// <exception cref="TelemetryParseException">A gpu, GPU_I_ID or err_code label is not an integer.</exception>
    public int Read(SampleBatch batch, List<GpuReading> readings)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(readings);

        if (_fieldOfFamily.Length < batch.FamilyCount)
        {
            _fieldOfFamily = new DcgmField[Math.Max(batch.FamilyCount, _fieldOfFamily.Length * 2)];
        }

        for (int f = 0; f < batch.FamilyCount; f++)
        {
            _fieldOfFamily[f] = DcgmFieldCatalog.TryGetField(batch.StringAt(batch.FamilyName[f]), out DcgmField field)
                ? field
                : DcgmField.Unknown;
        }

        // Label names are interned per batch: compare ids, not strings. -1 means the page never had it.
        var names = new LabelIds(batch);
        int first = readings.Count;
        for (int s = 0; s < batch.Count; s++)
        {
            DcgmField field = _fieldOfFamily[batch.SampleFamily[s]];
            if (field == DcgmField.Unknown)
            {
                continue;
            }

            string? gpu = null, errCode = null, migProfile = null, migInstance = null;
            string uuid = "", hostname = "", modelName = "", pod = "", kubeNamespace = "", container = "";
            int end = batch.SampleLabelStart[s] + batch.SampleLabelCount[s];
            for (int k = batch.SampleLabelStart[s]; k < end; k++)
            {
                int name = batch.PoolNames[k];
                string value = batch.StringAt(batch.PoolValues[k]);
                if (name == names.Gpu) { gpu = value; }
                else if (name == names.Uuid) { uuid = value; }
                else if (name == names.Hostname) { hostname = value; }
                else if (name == names.ModelName) { modelName = value; }
                else if (name == names.Pod) { pod = value; }
                else if (name == names.Namespace) { kubeNamespace = value; }
                else if (name == names.Container) { container = value; }
                else if (name == names.MigProfile) { migProfile = value; }
                else if (name == names.MigInstance) { migInstance = value; }
                else if (name == names.ErrCode) { errCode = value; }
            }

            if (gpu is null)
            {
                continue;
            }

            if (!int.TryParse(gpu, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                return Fail(readings, first, batch.SampleLine[s], $"gpu label '{gpu}' is not a GPU index");
            }

            int? migInstanceId = null;
            if (migInstance is not null)
            {
                if (!int.TryParse(migInstance, NumberStyles.None, CultureInfo.InvariantCulture, out int instance))
                {
                    return Fail(readings, first, batch.SampleLine[s], $"GPU_I_ID label '{migInstance}' is not an integer");
                }

                migInstanceId = instance;
            }

            double reading = batch.SampleValue[s];
            if (field == DcgmField.XidErrors && errCode is not null)
            {
                if (!int.TryParse(errCode, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int xid))
                {
                    return Fail(readings, first, batch.SampleLine[s], $"err_code label '{errCode}' is not an XID");
                }

                reading = xid;
            }

            readings.Add(new GpuReading(index, uuid, hostname, modelName, field, reading)
            {
                MigProfile = migProfile,
                MigInstanceId = migInstanceId,
                Pod = pod,
                Namespace = kubeNamespace,
                Container = container,
                Timestamp = batch.SampleHasTimestamp[s] ? batch.SampleTimestamp[s] : null,
            });
        }

        return readings.Count - first;
    }

    private static int Fail(List<GpuReading> readings, int first, int line, string reason)
    {
        readings.RemoveRange(first, readings.Count - first);
        throw new TelemetryParseException(line, 1, reason);
    }

    private readonly struct LabelIds(SampleBatch batch)
    {
        public readonly int Gpu = batch.FindString("gpu"u8);
        public readonly int Uuid = batch.FindString("UUID"u8);
        public readonly int Hostname = batch.FindString("Hostname"u8);
        public readonly int ModelName = batch.FindString("modelName"u8);
        public readonly int Pod = batch.FindString("pod"u8);
        public readonly int Namespace = batch.FindString("namespace"u8);
        public readonly int Container = batch.FindString("container"u8);
        public readonly int MigProfile = batch.FindString("GPU_I_PROFILE"u8);
        public readonly int MigInstance = batch.FindString("GPU_I_ID"u8);
        public readonly int ErrCode = batch.FindString("err_code"u8);
    }
}
