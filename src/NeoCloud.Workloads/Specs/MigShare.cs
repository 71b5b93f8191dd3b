using System.Globalization;
using System.Text.RegularExpressions;

namespace NeoCloud.Workloads.Specs;

/// <summary>
/// MIG profiles as GPU shares: a profile <c>Ng.Mgb</c> takes N of a GPU's 7 compute slices, so its share is N/7 of the
/// GPU in milli-GPU, rounded down (1g = 142, 3g = 428, 7g = the whole GPU).
/// </summary>
internal static partial class MigShare
{
    public const int Slices = 7;

    [GeneratedRegex("^([1-7])g\\.([0-9]+)gb$", RegexOptions.IgnoreCase)]
    private static partial Regex Profile();

    /// <summary>Whether the text has the shape of a MIG profile at all (it may still be unknown to every SKU).</summary>
    public static bool LooksLikeProfile(string text) => text.Contains("g.", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, out int slices, out int milli)
    {
        slices = 0;
        milli = 0;
        var match = Profile().Match(text);
        if (!match.Success)
        {
            return false;
        }

        slices = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        milli = slices == Slices ? 1000 : slices * 1000 / Slices;
        return true;
    }
}
