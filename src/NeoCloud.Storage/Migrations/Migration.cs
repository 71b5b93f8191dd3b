namespace NeoCloud.Storage.Migrations;

/// <summary>One versioned SQL script of one context, written once for every backend.</summary>
/// <param name="Context">The bounded context, also its schema: <c>fleet</c>, <c>access</c>.</param>
internal sealed record Migration(string Context, int Version, string Name, string Sql)
{
    public override string ToString() => $"{Context}/{Version:0000}_{Name}";
}
