namespace NeoCloud.Workloads.Store;

/// <summary>The kinds of scheduling configuration kept as named documents.</summary>
public enum DeclarationKind
{
    Tenant,
    Queue,
    Cohort,
}
