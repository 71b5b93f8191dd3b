namespace NeoCloud.Reliability.Sources;

/// <summary>Who a piece of work belongs to: its tenant and, when known, the tenant's line of business.</summary>
public sealed record WorkOwner(string Tenant, string? LineOfBusiness = null);
