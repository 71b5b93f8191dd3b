namespace NeoCloud.Telemetry.Dcgm;

/// <summary>One field's value for one GPU (or MIG instance), read from a dcgm-exporter page.</summary>
/// <remarks>For <see cref="DcgmField.XidErrors"/> the value is the XID from the err_code label.</remarks>
public readonly record struct GpuReading(
    int Gpu,
    string Uuid,
    string Hostname,
    string ModelName,
    DcgmField Field,
    double Value)
{
    public string? MigProfile { get; init; }

    public int? MigInstanceId { get; init; }

    public string Pod { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Container { get; init; } = "";

    /// <summary>Milliseconds since the Unix epoch when the exporter stamped the line (dcgm-exporter normally does not).</summary>
    public long? Timestamp { get; init; }
}
