using NeoCloud.Server.Json;
using NeoCloud.Server.Problems;

namespace NeoCloud.Server.Fleet;

/// <summary>Parses enum-valued query filters (<c>?state=cordoned</c>), naming the parameter and the allowed values when one is unknown.</summary>
internal static class FleetFilters
{
    public static TEnum? Enum<TEnum>(string? text, string parameter, InvalidRequest errors)
        where TEnum : struct, System.Enum
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (WireNames.TryParse(text, out TEnum value))
        {
            return value;
        }

        errors.Add(parameter, $"'{text}' is not a known {parameter}; allowed: {string.Join(", ", WireNames.All<TEnum>())}.");
        return null;
    }

    public static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
