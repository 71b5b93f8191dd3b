using System.Globalization;

namespace NeoCloud.Storage.Migrations;

/// <summary>The migrations embedded in this assembly (<c>Migrations/Scripts/{context}/{version}_{name}.sql</c>), in apply order.</summary>
internal static class MigrationCatalog
{
    private const string Prefix = "migrations/";

    public static IReadOnlyList<Migration> All { get; } = Load();

    private static List<Migration> Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = resource[Prefix.Length..].Replace('\\', '/').Split('/');
            string file = Path.GetFileNameWithoutExtension(parts[^1]);
            int underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (parts.Length != 2 || underscore <= 0
                || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named {{context}}/{{version}}_{{name}}.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(parts[0], version, file[(underscore + 1)..], reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => (m.Context, m.Version)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations of context '{duplicate.Key.Context}' have version {duplicate.Key.Version}.");
        }

        return migrations.OrderBy(m => m.Context, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
    }
}
