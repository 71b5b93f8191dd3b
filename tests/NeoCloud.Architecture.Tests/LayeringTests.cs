using System.Xml.Linq;

namespace NeoCloud.Architecture.Tests;

/// <summary>Keeps ARCHITECTURE §2–3 true: a context references only contexts in its own layer or below, and nothing references the host.</summary>
public sealed class LayeringTests
{
    // Layer of each project (ARCHITECTURE §2). 0 is the shared kernel; higher layers may use lower ones, never the reverse.
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["NeoCloud.Kernel"] = 0,
        ["NeoCloud.Plugins"] = 1,
        ["NeoCloud.Fleet"] = 1,
        ["NeoCloud.Telemetry"] = 2,
        ["NeoCloud.Scheduling"] = 3,
        ["NeoCloud.Workloads"] = 4,
        ["NeoCloud.Health"] = 5,
        ["NeoCloud.Reliability"] = 5,
        ["NeoCloud.Changes"] = 5,
        ["NeoCloud.Access"] = 6,
        ["NeoCloud.Cost"] = 6,
        ["NeoCloud.Tiers"] = 6,
        ["NeoCloud.Simulator"] = 7,
        ["NeoCloud.Storage"] = 7,
        ["NeoCloud.Cli"] = 8,
        ["NeoCloud.Server"] = 9,
    };

    private static readonly string Root = FindRoot();

    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    private static string[] ProjectNames() =>
        [.. Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void A_context_references_only_its_own_layer_or_those_below(string project)
    {
        int layer = LayerOf(project);
        foreach (string reference in References(project))
        {
            Assert.True(
                LayerOf(reference) <= layer,
                $"{project} (layer {layer}) references {reference} (layer {LayerOf(reference)}): a layer may use the layers below it, never above.");
        }
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Nothing_references_the_server(string project)
    {
        Assert.DoesNotContain("NeoCloud.Server", References(project));
    }

    [Fact]
    public void Scheduling_never_calls_cost_and_the_kernel_depends_on_no_context()
    {
        Assert.Empty(References("NeoCloud.Kernel"));
        if (File.Exists(ProjectPath("NeoCloud.Scheduling")))
        {
            Assert.DoesNotContain("NeoCloud.Cost", References("NeoCloud.Scheduling"));
        }
    }

    [Fact]
    public void The_cli_talks_to_the_api_only()
    {
        Assert.Empty(References("NeoCloud.Cli"));
    }

    [Fact]
    public void Every_source_project_has_a_mirroring_test_project()
    {
        foreach (string project in ProjectNames())
        {
            Assert.True(File.Exists(Path.Combine(Root, "tests", project + ".Tests", project + ".Tests.csproj")), $"tests/{project}.Tests is missing");
        }
    }

    [Fact]
    public void No_folder_is_named_after_a_technical_kind()
    {
        string[] banned = ["Helpers", "Utils", "Utilities", "Common", "Managers", "Misc"];
        var offenders = Directory.GetDirectories(Path.Combine(Root, "src"), "*", SearchOption.AllDirectories)
            .Where(d => banned.Contains(Path.GetFileName(d), StringComparer.OrdinalIgnoreCase))
            .ToList();

        Assert.Empty(offenders);
    }

    private static int LayerOf(string project)
    {
        string key = project.StartsWith("NeoCloud.Adapters.", StringComparison.Ordinal) ? "NeoCloud.Simulator" : project;
        Assert.True(Layers.TryGetValue(key, out int layer), $"{project} has no layer in ARCHITECTURE §2; add it to this test deliberately.");
        return layer;
    }

    private static string ProjectPath(string project) => Path.Combine(Root, "src", project, project + ".csproj");

    private static List<string> References(string project) =>
        XDocument.Load(ProjectPath(project)).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToList();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (NeoCloud.slnx) above " + AppContext.BaseDirectory);
    }
}
