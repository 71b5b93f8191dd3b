namespace NeoCloud.Simulator.Twin;

/// <summary>Why a GPU's clocks are held down, with DCGM's bit values (<c>DCGM_FI_DEV_CLOCKS_EVENT_REASONS</c>, formerly <c>DCGM_FI_DEV_CLOCK_THROTTLE_REASONS</c>).</summary>
[Flags]
public enum ClockEventReasons
{
    None = 0,
    GpuIdle = 0x1,
    SwPowerCap = 0x4,
    HwSlowdown = 0x8,
    SwThermalSlowdown = 0x20,
    HwThermalSlowdown = 0x40,
    HwPowerBrakeSlowdown = 0x80,
}
