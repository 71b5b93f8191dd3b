using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Export;

/// <summary>
/// Turns SLOs into Prometheus rule files (one per SLO: <c>SERVICE-NAME.rules.yml</c>) and, beside them in <c>tests/</c>,
/// the <c>promtool test rules</c> files that prove the alerts fire and stay silent where they should.
/// </summary>
public static class PrometheusRuleExporter
{
    public const string TestFolder = "tests";

    public static IReadOnlyList<ExportedFile> Export(IReadOnlyList<SloSpec> slos, SloExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(slos);
        options ??= new SloExportOptions();
        var files = new List<ExportedFile>();
        foreach (var slo in slos)
        {
            string stem = $"{slo.Service}-{slo.Name}";
            var sets = slo.Objectives.Select(o => new SloRuleSet(slo, o, options)).ToList();
            files.Add(new ExportedFile(stem + ".rules.yml",
                YamlText.Write(RuleFileWriter.Groups(sets), $"SLO {slo.Service}/{slo.Name}: written by `neocloud slo rules`; edit the SLO, not this file.")));

            if (options.IncludeTests && PromtoolTestWriter.CanTest(slo))
            {
                var twin = PromtoolTestWriter.Twin(slo);
                var twinSets = twin.Objectives.Select(o => new SloRuleSet(twin, o, options)).ToList();
                string twinFile = stem + ".twin.rules.yml";
                files.Add(new ExportedFile(Path.Combine(TestFolder, twinFile),
                    YamlText.Write(RuleFileWriter.Groups(twinSets), $"The rules of {stem}.rules.yml with the indicator read from {PromtoolTestWriter.TestMetric}, for promtool test rules.")));
                files.Add(new ExportedFile(Path.Combine(TestFolder, stem + ".test.yml"),
                    YamlText.Write(PromtoolTestWriter.Tests(twinFile, twinSets), $"promtool test rules {stem}.test.yml")));
            }
        }

        return files;
    }

    /// <summary>Writes the files under <paramref name="directory"/>, creating folders; returns the full paths written.</summary>
    public static IReadOnlyList<string> WriteTo(string directory, IReadOnlyList<ExportedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var written = new List<string>();
        foreach (var file in files)
        {
            string path = Path.GetFullPath(Path.Combine(directory, file.RelativePath));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
            written.Add(path);
        }

        return written;
    }
}
