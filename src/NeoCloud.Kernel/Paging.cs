using System.Text;

namespace NeoCloud.Kernel;

/// <summary>One page of a listing and the opaque cursor of the next one (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Opaque cursors for keyset pagination: the last key seen, base64url-encoded.</summary>
public static class Cursor
{
    public static string Encode(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes a cursor; returns false for text that is not one of ours.</summary>
    public static bool TryDecode(string? cursor, out string? lastKey)
    {
        lastKey = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        string b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        Span<byte> buffer = stackalloc byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, buffer, out int written))
        {
            return false;
        }

        lastKey = Encoding.UTF8.GetString(buffer[..written]);
        return true;
    }
}
