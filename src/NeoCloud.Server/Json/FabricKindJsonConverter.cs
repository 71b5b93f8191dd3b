using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Server.Json;

/// <summary>Writes fabric kinds as the fleet spec spells them (<c>infiniband</c>, <c>roce</c>), not the kebab-case of their C# names.</summary>
public sealed class FabricKindJsonConverter : JsonConverter<FabricKind>
{
    public override FabricKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "infiniband" => FabricKind.InfiniBand,
            "roce" => FabricKind.RoCE,
            var other => throw new JsonException($"Unknown fabric kind '{other}'; expected 'infiniband' or 'roce'."),
        };

    public override void Write(Utf8JsonWriter writer, FabricKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
}
