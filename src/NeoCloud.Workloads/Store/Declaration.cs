using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Store;

/// <summary>
/// One named piece of scheduling configuration (a tenant, queue or cohort) as its canonical text. The store keeps it
/// and versions it; the Scheduling context parses it.
/// </summary>
/// <param name="Tenant">The owning tenant, when the document belongs to one (a queue); null for shared ones (a cohort).</param>
/// <param name="Version">1 when created, one more per update.</param>
public sealed record Declaration(DeclarationKind Kind, string Name, TenantId? Tenant, string Text, long Version, DateTimeOffset UpdatedAt);
