using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Server.Json;

/// <summary>Writes an <see cref="Actor"/> as its printable <c>kind:name</c> form, the same text the audit log and history show.</summary>
public sealed class ActorJsonConverter : JsonConverter<Actor>
{
    public override Actor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Actor.Parse(reader.GetString() ?? throw new JsonException("An actor must be a string such as 'person:alice'."));

    public override void Write(Utf8JsonWriter writer, Actor value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
