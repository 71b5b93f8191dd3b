using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace NeoCloud.Telemetry.Exposition;

/// <summary>Sample values and timestamps as the exposition format spells them, read and written without allocation.</summary>
internal static class ExpositionNumbers
{
    // Powers of ten that a double holds exactly: a mantissa below 2^53 divided by one of them is
    // correctly rounded (one IEEE operation on exact operands), so the fast path below matches
    // double.Parse bit for bit.
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParseValue(ReadOnlySpan<byte> token, out double value)
    {
        if (TryParsePlainDecimal(token, out value))
        {
            return true;
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // Prometheus spells infinities "+Inf" / "-Inf"; .NET only knows "Infinity".
        if (Ascii.EqualsIgnoreCase(token, "+Inf"u8) || Ascii.EqualsIgnoreCase(token, "Inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(token, "-Inf"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        value = 0;
        return false;
    }

    public static bool TryParseTimestamp(ReadOnlySpan<byte> token, out long milliseconds)
    {
        return Utf8Parser.TryParse(token, out milliseconds, out int consumed) && consumed == token.Length;
    }

    /// <summary>Writes a value so that <see cref="TryParseValue"/> reads back the same double.</summary>
    public static int FormatValue(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            "NaN"u8.CopyTo(destination);
            return 3;
        }

        if (double.IsInfinity(value))
        {
            (value > 0 ? "+Inf"u8 : "-Inf"u8).CopyTo(destination);
            return 4;
        }

        // Integral values (most DCGM fields) print as integers, like the exporter does; -0 keeps its sign below.
        if (Math.Abs(value) < 1e15 && value == Math.Truncate(value) && !(value == 0 && double.IsNegative(value)))
        {
            Utf8Formatter.TryFormat((long)value, destination, out int integral);
            return integral;
        }

        // "R" is the shortest string that round-trips.
        value.TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    private static bool TryParsePlainDecimal(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (token.Length > 0 && (token[0] == (byte)'-' || token[0] == (byte)'+'))
        {
            negative = token[0] == (byte)'-';
            i = 1;
        }

        ulong mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        for (; i < token.Length; i++)
        {
            uint digit = (uint)(token[i] - '0');
            if (digit <= 9)
            {
                if (++digits > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
                if (fractionDigits >= 0)
                {
                    fractionDigits++;
                }
            }
            else if (token[i] == (byte)'.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        double magnitude = fractionDigits > 0 ? mantissa / ExactPowersOfTen[fractionDigits] : mantissa;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
