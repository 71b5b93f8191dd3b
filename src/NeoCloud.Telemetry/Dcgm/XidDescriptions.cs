namespace NeoCloud.Telemetry.Dcgm;

/// <summary>Short err_msg texts for the XIDs the fleet meets most, in the spirit of dcgm-exporter's own.</summary>
internal static class XidDescriptions
{
    public static string Describe(int xid) => xid switch
    {
        0 => "No Error",
        13 => "Graphics engine exception",
        31 => "GPU memory page fault",
        43 => "GPU stopped processing",
        45 => "Preemptive cleanup due to previous errors",
        48 => "Double-bit ECC error",
        61 => "Internal micro-controller breakpoint",
        62 => "Internal micro-controller halt",
        63 => "ECC page retirement or row remapping recorded",
        64 => "ECC page retirement or row remapping failure",
        74 => "NVLink error",
        79 => "GPU has fallen off the bus",
        92 => "High single-bit ECC error rate",
        94 => "Contained ECC error",
        95 => "Uncontained ECC error",
        119 => "GSP RPC timeout",
        120 => "GSP error",
        _ => "Unknown XID",
    };
}
