using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeoCloud.Server.Json;

/// <summary>Writes Kernel's typed ids (<c>NodeId</c>, <c>GpuId</c>, ...) as the plain strings they print as, so the API never shows <c>{"value": ...}</c>.</summary>
/// <remarks>Kernel stays free of serialization concerns; the wire format is the host's decision.</remarks>
public sealed class TypedIdJsonConverterFactory : JsonConverterFactory
{
    private const string IdsNamespace = "NeoCloud.Kernel.Ids";

    /// <summary>True for a typed id: a value type in Kernel's id namespace with a single-string constructor.</summary>
    public static bool IsTypedId(Type type) =>
        type.IsValueType && type.Namespace == IdsNamespace && type.GetConstructor([typeof(string)]) is not null;

    public override bool CanConvert(Type typeToConvert) => IsTypedId(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(TypedIdConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class TypedIdConverter<TId> : JsonConverter<TId>
        where TId : struct
    {
        private static readonly ConstructorInfo Constructor = typeof(TId).GetConstructor([typeof(string)])!;

        public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = reader.GetString();
            if (string.IsNullOrEmpty(text))
            {
                throw new JsonException($"A {typeof(TId).Name} must be a non-empty string.");
            }

            return (TId)Constructor.Invoke([text]);
        }

        public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
