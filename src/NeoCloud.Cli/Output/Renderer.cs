using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using YamlDotNet.Serialization;

namespace NeoCloud.Cli.Output;

/// <summary>Prints API results as a table (Spectre.Console), indented JSON, or YAML.</summary>
internal sealed class Renderer(TextWriter output, OutputFormat format)
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public OutputFormat Format => format;

    public void List(IReadOnlyList<JsonElement> items, IReadOnlyList<Column> columns)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(w =>
                {
                    w.WriteStartArray();
                    foreach (var item in items)
                    {
                        item.WriteTo(w);
                    }

                    w.WriteEndArray();
                });
                break;
            case OutputFormat.Yaml:
                WriteYaml(items.Select(ToPlain).ToList());
                break;
            default:
                if (items.Count == 0)
                {
                    output.WriteLine("No resources found.");
                    return;
                }

                Write(Table(columns, items));
                break;
        }
    }

    public void Document(JsonElement document)
    {
        if (format == OutputFormat.Yaml)
        {
            WriteYaml(ToPlain(document));
        }
        else
        {
            WriteJson(document.WriteTo);
        }
    }

    public void Line(string text) => output.WriteLine(text);

    public void Section(string title, IReadOnlyList<JsonElement> items, IReadOnlyList<Column> columns)
    {
        output.WriteLine();
        output.WriteLine($"{title}:");
        if (items.Count == 0)
        {
            output.WriteLine("  <none>");
            return;
        }

        Write(Table(columns, items));
    }

    /// <summary>A property as table text; a dotted path (<c>component.id</c>) reads into nested objects.</summary>
    public static string Text(JsonElement item, string property)
    {
        int dot = property.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property[..dot], out var inner))
        {
            return Text(inner, property[(dot + 1)..]);
        }

        return item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value) ? Scalar(value) : "";
    }

    private static Table Table(IReadOnlyList<Column> columns, IEnumerable<JsonElement> items)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column.Header)).PadRight(3).PadLeft(0).NoWrap());
        }

        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(Text(item, c.Property))));
        }

        return table;
    }

    private void Write(IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Tables are for reading and grepping: never wrap cells at an assumed 80 columns when not on a terminal.
        console.Profile.Width = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? Math.Max(Console.WindowWidth, 80) : 400;
        console.Write(renderable);
    }

    private void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private void WriteYaml(object? value)
    {
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        output.Write(serializer.Serialize(value));
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",

        // A list in a table cell (a tenant's queues, a replica's GPUs) reads as "a,b", not as JSON.
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };

    // YamlDotNet serialises plain dictionaries, lists and scalars; JSON numbers keep their exact text.
    private static object? ToPlain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => value.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out long whole) => whole,
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };
}
