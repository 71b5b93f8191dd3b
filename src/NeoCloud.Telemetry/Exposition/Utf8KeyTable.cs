using System.Buffers.Binary;
using System.Numerics;

namespace NeoCloud.Telemetry.Exposition;

/// <summary>
/// A grow-only hash table keyed by UTF-8 bytes with dense integer ids, so the parser can look up
/// a span of the page without first turning it into a string.
/// </summary>
/// <remarks>
/// Our own table rather than a <see cref="Dictionary{TKey, TValue}"/> with an alternate lookup:
/// the keys are bytes, and a span-of-char lookup would need every label value transcoded first.
/// The keys live in one byte arena, so a warm table costs no allocation per lookup.
/// </remarks>
internal sealed class Utf8KeyTable<TValue>
{
    // Seeded per process so that which label values share a bucket is not predictable from outside.
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private int[] _buckets = new int[256];
    private Entry[] _entries = new Entry[128];
    private byte[] _keyBytes = new byte[8192];
    private int _count;
    private int _keyByteCount;

    private struct Entry
    {
        public int Hash;
        public int Next;
        public int Offset;
        public int Length;
        public TValue Value;
    }

    public int Count => _count;

    public int KeyByteCount => _keyByteCount;

    public ref TValue ValueAt(int id) => ref _entries[id].Value;

    public ReadOnlySpan<byte> KeyAt(int id)
    {
        ref Entry entry = ref _entries[id];
        return _keyBytes.AsSpan(entry.Offset, entry.Length);
    }

    public int Find(ReadOnlySpan<byte> key) => Find(key, Hash(key));

    public int Find(ReadOnlySpan<byte> key, int hash)
    {
        Entry[] entries = _entries;
        int i = _buckets[hash & (_buckets.Length - 1)] - 1;
        while (i >= 0)
        {
            ref Entry entry = ref entries[i];
            if (entry.Hash == hash && _keyBytes.AsSpan(entry.Offset, entry.Length).SequenceEqual(key))
            {
                return i;
            }

            i = entry.Next;
        }

        return -1;
    }

    /// <summary>Adds a key known to be absent (call <see cref="Find(ReadOnlySpan{byte}, int)"/> first).</summary>
    public int Add(ReadOnlySpan<byte> key, int hash, TValue value)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        if (_keyByteCount + key.Length > _keyBytes.Length)
        {
            Array.Resize(ref _keyBytes, Math.Max(_keyBytes.Length * 2, _keyByteCount + key.Length));
        }

        key.CopyTo(_keyBytes.AsSpan(_keyByteCount));
        int id = _count++;
        ref Entry entry = ref _entries[id];
        entry.Hash = hash;
        entry.Offset = _keyByteCount;
        entry.Length = key.Length;
        entry.Value = value;
        _keyByteCount += key.Length;

        if (_count > _buckets.Length - (_buckets.Length >> 2))
        {
            Rehash(_buckets.Length * 2);
        }
        else
        {
            Link(id);
        }

        return id;
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        // Drop references held by values (strings) so a reset table lets them go.
        Array.Clear(_entries, 0, _count);
        _count = 0;
        _keyByteCount = 0;
    }

    public static int Hash(ReadOnlySpan<byte> key)
    {
        // Not cryptographic: a fast multiply-rotate mix over 8-byte words with a final avalanche.
        ulong h = Seed ^ ((ulong)key.Length * 0x9E3779B97F4A7C15UL);
        while (key.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(key)) * 0x9E3779B97F4A7C15UL, 29);
            key = key[8..];
        }

        ulong tail = 0;
        for (int i = 0; i < key.Length; i++)
        {
            tail |= (ulong)key[i] << (8 * i);
        }

        h = (h ^ tail) * 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 29;
        return (int)h ^ (int)(h >> 32);
    }

    private void Rehash(int size)
    {
        _buckets = new int[size];
        for (int id = 0; id < _count; id++)
        {
            Link(id);
        }
    }

    private void Link(int id)
    {
        ref Entry entry = ref _entries[id];
        int bucket = entry.Hash & (_buckets.Length - 1);
        entry.Next = _buckets[bucket] - 1;
        _buckets[bucket] = id + 1;
    }
}
