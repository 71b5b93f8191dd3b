namespace NeoCloud.Scheduling.Gangs;

/// <summary>
/// Items 0..n-1, each in at most one bucket, with O(1) add, remove and move and a dense list per bucket: the index that
/// finds "a node with exactly k whole GPUs free" or "a GPU with exactly v milli free" without scanning the cluster.
/// Bucket storage grows by doubling and is kept, so a warm set allocates nothing.
/// </summary>
internal sealed class BucketedSet
{
    private readonly int[][] _items;
    private readonly int[] _counts;
    private readonly int[] _bucketOf;
    private readonly int[] _position;

    public BucketedSet(int buckets, int items)
    {
        _items = new int[buckets][];
        _counts = new int[buckets];
        _bucketOf = new int[items];
        _position = new int[items];
        Array.Fill(_bucketOf, -1);
    }

    public int Count(int bucket) => _counts[bucket];

    /// <summary>The items of a bucket; valid until the next add or remove.</summary>
    public ReadOnlySpan<int> Items(int bucket) => _counts[bucket] == 0 ? [] : _items[bucket].AsSpan(0, _counts[bucket]);

    public int BucketOf(int item) => _bucketOf[item];

    public void Add(int item, int bucket)
    {
        if (_bucketOf[item] >= 0)
        {
            throw new InvalidOperationException($"item {item} is already in bucket {_bucketOf[item]}");
        }

        var list = _items[bucket];
        int count = _counts[bucket];
        if (list is null || list.Length == count)
        {
            Array.Resize(ref _items[bucket], Math.Max(4, count * 2));
            list = _items[bucket];
        }

        list[count] = item;
        _position[item] = count;
        _bucketOf[item] = bucket;
        _counts[bucket] = count + 1;
    }

    public void Remove(int item)
    {
        int bucket = _bucketOf[item];
        if (bucket < 0)
        {
            return;
        }

        var list = _items[bucket];
        int last = --_counts[bucket];
        int at = _position[item];
        int moved = list[last];
        list[at] = moved;
        _position[moved] = at;
        _bucketOf[item] = -1;
    }
}
