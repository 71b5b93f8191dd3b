using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeoCloud.Server.Json;

/// <summary>The API's wire format: camelCase members, enums as kebab-case strings (<c>burn-in</c>), typed ids and actors as strings.</summary>
public static class WireNames
{
    /// <summary>The wire name of an enum value, e.g. <c>BurnIn</c> → <c>burn-in</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>Every wire name of an enum, in declaration order: the allowed values a 400 lists.</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(Of).ToArray();

    /// <summary>Parses a wire name, also accepting the C# name in any case (<c>BurnIn</c>, <c>burnin</c>).</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Applies the wire format to a serializer's options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new TypedIdJsonConverterFactory());
        options.Converters.Add(new ActorJsonConverter());
        options.Converters.Add(new FabricKindJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    }
}
