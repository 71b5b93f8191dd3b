namespace NeoCloud.Kernel.Residency;

/// <summary>Marks a field that must never leave its region (raw telemetry, tenant identities, logs).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, Inherited = true)]
public sealed class RegionOnlyAttribute : Attribute;
