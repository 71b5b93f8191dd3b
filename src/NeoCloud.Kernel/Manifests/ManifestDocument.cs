using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Kernel.Manifests;

/// <summary>
/// The envelope every NeoCloud manifest shares (<c>apiVersion: neocloud.dev/v1</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>):
/// loads the YAML, checks the envelope and hands back the spec mapping for the kind's own reader.
/// </summary>
public sealed class ManifestDocument
{
    public const string ApiVersion = "neocloud.dev/v1";

    private ManifestDocument(string name, SpecMapping? metadata, SpecMapping spec)
    {
        Name = name;
        Metadata = metadata;
        Spec = spec;
    }

    public string Name { get; }

    /// <summary>The metadata mapping, for kinds that read more than <c>name</c> (call <see cref="SpecMapping.RejectUnknown"/> after).</summary>
    public SpecMapping? Metadata { get; }

    public SpecMapping Spec { get; }

    /// <summary>
    /// Parses YAML (JSON is YAML) into its documents; returns null and adds one error with line and column when the text
    /// is not YAML. Multi-document readers (queues, workloads) walk the documents themselves.
    /// </summary>
    public static YamlStream? LoadStream(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException ex)
        {
            errors.Add(new SpecError((int)ex.Start.Line, (int)ex.Start.Column, "", "is not valid YAML or JSON: " + (ex.InnerException?.Message ?? ex.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some unterminated flow collections such as
            // "[1": report where the parser last stood, which is where the broken collection began.
            var at = parser.Current?.Start;
            errors.Add(new SpecError(at is null ? 1 : (int)at.Value.Line, at is null ? 1 : (int)at.Value.Column, "",
                "is not valid YAML or JSON: an unterminated flow sequence or mapping ('[' or '{' without its closing bracket)"));
            return null;
        }
    }

    /// <summary>Loads one manifest of <paramref name="expectedKind"/>; returns null when the envelope is unusable (errors say why).</summary>
    /// <param name="metadataFields">Metadata fields the kind accepts besides <c>name</c>.</param>
    public static ManifestDocument? Load(string yaml, string expectedKind, List<SpecError> errors, params string[] metadataFields)
    {
        if (LoadStream(yaml, errors) is not { } stream)
        {
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new SpecError(1, 1, "", $"must hold exactly one YAML document, found {stream.Documents.Count}"));
            return null;
        }

        var root = SpecMapping.From(stream.Documents[0].RootNode, "", errors);
        if (root is null)
        {
            return null;
        }

        string? api = root.String("apiVersion", required: true);
        if (api is not null && api != ApiVersion)
        {
            root.Error(root.Get("apiVersion"), "apiVersion", $"must be '{ApiVersion}', got '{api}'");
        }

        string? kind = root.String("kind", required: true);
        if (kind is not null && kind != expectedKind)
        {
            root.Error(root.Get("kind"), "kind", $"must be '{expectedKind}', got '{kind}'");
        }

        var metadata = SpecMapping.From(root.Get("metadata"), "metadata", errors);
        string name = expectedKind.ToLowerInvariant();
        if (metadata is null)
        {
            root.Error(null, "metadata", "is required");
        }
        else
        {
            name = metadata.String("name", required: true) ?? name;
            foreach (string field in metadataFields)
            {
                metadata.Get(field);
            }
        }

        var spec = SpecMapping.From(root.Get("spec"), "spec", errors);
        root.RejectUnknown();
        if (spec is null)
        {
            root.Error(null, "spec", "is required");
            return null;
        }

        return new ManifestDocument(name, metadata, spec);
    }
}
