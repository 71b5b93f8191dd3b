using System.CommandLine;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Server.Reliability;

/// <summary><c>neocloud slo</c>: SLO tooling that runs without a host (today: export Prometheus rules and their promtool tests).</summary>
public static class SloCommand
{
    public static Command Create()
    {
        var slo = new Command("slo", "Service level objectives: error budgets and burn-rate alerts.");
        slo.Subcommands.Add(CreateRules());
        return slo;
    }

    private static Command CreateRules()
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "A file of kind: SLO manifests (documents separated by ---).", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for the rule files (SERVICE-NAME.rules.yml) and tests/ for promtool test rules.", Required = true };
        var minimumEvents = new Option<double>("--min-events")
        {
            Description = "Traffic guard: events a long window must hold before it may alert (0: no guard); an SLO's alerting.minimumEvents wins.",
            DefaultValueFactory = _ => new SloExportOptions().MinimumEvents,
        };
        var noTests = new Option<bool>("--no-tests") { Description = "Write the rule files only, without the promtool unit tests." };

        var rules = new Command("rules", "Write Sloth-style recording rules and multiwindow multi-burn-rate alerts for every SLO in a file.")
        {
            file, outDir, minimumEvents, noTests,
        };
        rules.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            double guard = parseResult.GetValue(minimumEvents);
            if (guard < 0 || !double.IsFinite(guard))
            {
                error.WriteLine("neocloud slo rules: --min-events must be zero or more.");
                return Task.FromResult(1);
            }

            try
            {
                var slos = SloManifestReader.ReadFile(parseResult.GetValue(file)!.FullName);
                var options = new SloExportOptions { MinimumEvents = guard, IncludeTests = !parseResult.GetValue(noTests) };
                var written = PrometheusRuleExporter.WriteTo(parseResult.GetValue(outDir)!.FullName, PrometheusRuleExporter.Export(slos, options));
                foreach (string path in written)
                {
                    output.WriteLine(path);
                }

                output.WriteLine($"{slos.Count} SLO(s), {written.Count} file(s). Check them with: promtool check rules *.rules.yml; cd tests && promtool test rules *.test.yml");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is SpecException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"neocloud slo rules: {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return rules;
    }
}
