using System.Globalization;

namespace NeoCloud.Server.Problems;

/// <summary>Times given in a query string (<c>since=</c>), read the same way by every list.</summary>
public static class QueryTime
{
    /// <summary>The time in <paramref name="since"/> (ISO 8601, UTC unless it says otherwise), null when absent; a bad one is added to <paramref name="errors"/>.</summary>
    public static DateTimeOffset? ParseSince(string? since, InvalidRequest errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(since))
        {
            return null;
        }

        string text = since.Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors.Add("since", $"'{text}' is not a time; use ISO 8601 (2026-03-01T12:00:00Z).");
        return null;
    }
}
