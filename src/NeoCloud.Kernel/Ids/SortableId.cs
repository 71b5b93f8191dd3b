using System.Security.Cryptography;

namespace NeoCloud.Kernel.Ids;

/// <summary>Creates ULID-style identifiers (<c>job-01J...</c>) that sort by creation time.</summary>
public static class SortableId
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new id with the given prefix: 48 bits of milliseconds then 80 random bits, in Crockford base32.</summary>
    public static string New(string prefix, TimeProvider clock)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        return Format(prefix, clock.GetUtcNow(), random);
    }

    /// <summary>Formats an id from its parts; deterministic, so the simulator can make reproducible ids.</summary>
    public static string Format(string prefix, DateTimeOffset at, ReadOnlySpan<byte> random)
    {
        if (random.Length != 10)
        {
            throw new ArgumentException("An id needs exactly 10 random bytes.", nameof(random));
        }

        Span<char> chars = stackalloc char[26];
        ulong ms = (ulong)at.ToUnixTimeMilliseconds();
        for (int i = 9; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(ms & 31)];
            ms >>= 5;
        }

        // 80 random bits as 16 base32 digits.
        UInt128 bits = 0;
        foreach (byte b in random)
        {
            bits = (bits << 8) | b;
        }

        for (int i = 25; i >= 10; i--)
        {
            chars[i] = Crockford[(int)(bits & 31)];
            bits >>= 5;
        }

        return string.Concat(prefix, "-", chars);
    }
}
