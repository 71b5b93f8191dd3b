namespace NeoCloud.Telemetry.Dcgm;

/// <summary>The labels dcgm-exporter puts on every line of one GPU (or MIG instance): what the writer needs to render it.</summary>
public readonly record struct DcgmGpuLabels(
    int Gpu,
    string Uuid,
    string PciBusId,
    string Device,
    string ModelName,
    string Hostname)
{
    /// <summary>GPU_I_PROFILE of a MIG instance, e.g. "1g.10gb"; null for a whole GPU.</summary>
    public string? MigProfile { get; init; }

    /// <summary>GPU_I_ID of a MIG instance; written only with <see cref="MigProfile"/>.</summary>
    public int? MigInstanceId { get; init; }

    public string Container { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Pod { get; init; } = "";
}
