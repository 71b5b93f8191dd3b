namespace NeoCloud.Fleet.Firmware;

/// <summary>The firmware and driver versions installed on a node; rollouts and diagnosis read them.</summary>
public sealed record FirmwareInventory(
    string Bios,
    string Bmc,
    string GpuVbios,
    string Driver,
    string Cuda,
    string NicFirmware);
