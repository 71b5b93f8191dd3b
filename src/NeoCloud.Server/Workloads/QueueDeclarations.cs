using System.Text;
using System.Text.RegularExpressions;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Workloads;

/// <summary>
/// Queue and cohort manifests as the Workloads store keeps them: one declaration per document, holding the text as the
/// user wrote it (so <c>get -o yaml</c> shows their own file back); the scheduler gets them parsed.
/// </summary>
internal static partial class QueueDeclarations
{
    /// <summary>Splits a multi-document manifest into its documents, each with what it declares; throws <see cref="QueueSpecException"/> listing every problem.</summary>
    public static IReadOnlyList<(DeclarationKind Kind, string Name, string? Tenant, string Text)> Split(string text)
    {
        var whole = QueueManifestReader.Parse(text);
        var documents = new List<(DeclarationKind, string, string?, string)>();
        foreach (string document in DocumentSeparator().Split(text).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            var one = QueueManifestReader.Parse(document);
            foreach (var cohort in one.Cohorts)
            {
                documents.Add((DeclarationKind.Cohort, cohort.Name, null, document.Trim() + "\n"));
            }

            foreach (var queue in one.Queues)
            {
                documents.Add((DeclarationKind.Queue, queue.Name, queue.Tenant, document.Trim() + "\n"));
            }
        }

        if (documents.Count != whole.Cohorts.Count + whole.Queues.Count)
        {
            throw new ArgumentException("put one queue or cohort in each YAML document (separate documents with ---)", nameof(text));
        }

        return documents;
    }

    /// <summary>Every stored queue and cohort, parsed together.</summary>
    public static QueueManifests Read(IReadOnlyList<Declaration> declarations)
    {
        var text = new StringBuilder();
        foreach (var declaration in declarations.Where(d => d.Kind is DeclarationKind.Cohort or DeclarationKind.Queue))
        {
            text.AppendLine("---").Append(declaration.Text);
        }

        return text.Length == 0 ? new QueueManifests([], []) : QueueManifestReader.Parse(text.ToString());
    }

    [GeneratedRegex(@"^---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
