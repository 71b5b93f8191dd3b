namespace NeoCloud.Simulator.Twin;

/// <summary>The thermal model: steady-state temperature rises with the share of board power drawn.</summary>
internal static class GpuStatesPhysics
{
    /// <summary>About 31 °C idle and 78 °C at TDP for an air- or liquid-cooled HGX board.</summary>
    public static float TargetTemp(float powerW, float tdpW) => GpuStates.AmbientC + 1f + (50f * powerW / tdpW);

    /// <summary>Thermal time constant of a GPU package under load.</summary>
    public static readonly TimeSpan ThermalTimeConstant = TimeSpan.FromSeconds(90);
}
