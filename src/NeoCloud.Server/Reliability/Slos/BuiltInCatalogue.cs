namespace NeoCloud.Server.Reliability.Slos;

/// <summary>The SLOs NeoCloud keeps on itself, shipped inside the host (<c>builtin-slos.yaml</c>).</summary>
internal static class BuiltInCatalogue
{
    public static string Read()
    {
        using var stream = typeof(BuiltInCatalogue).Assembly.GetManifestResourceStream("NeoCloud.Server.Reliability.Slos.builtin-slos.yaml")
            ?? throw new InvalidOperationException("The built-in SLO catalogue is missing from the host assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
