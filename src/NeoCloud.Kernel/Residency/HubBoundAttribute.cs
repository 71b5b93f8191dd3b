namespace NeoCloud.Kernel.Residency;

/// <summary>Marks a message type that may cross from a region to the hub, through the redaction boundary.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class HubBoundAttribute : Attribute;
