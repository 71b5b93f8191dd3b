namespace NeoCloud.Reliability.Notifications;

/// <summary>
/// Remembers which notifications were sent, for a bounded time and count, and which are being sent right now, so that two
/// concurrent or repeated requests for the same state send once; a failed send is forgotten so it can be tried again.
/// </summary>
internal sealed class DeliveryLedger(TimeSpan retention, int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sent.Count;
            }
        }
    }

    public bool TryReserve(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            Forget(now);
            return !_sent.ContainsKey(key) && _inFlight.Add(key);
        }
    }

    public void Commit(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            _inFlight.Remove(key);
            _sent[key] = now;
            _order.Enqueue((key, now));
            while (_sent.Count > capacity && _order.TryDequeue(out var oldest))
            {
                Remove(oldest);
            }
        }
    }

    public void Release(string key)
    {
        lock (_gate)
        {
            _inFlight.Remove(key);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.At + retention <= now)
        {
            _order.Dequeue();
            Remove(oldest);
        }
    }

    private void Remove((string Key, DateTimeOffset At) entry)
    {
        // The key may have been sent again since (after its window): only the entry of that time goes.
        if (_sent.TryGetValue(entry.Key, out var at) && at == entry.At)
        {
            _sent.Remove(entry.Key);
        }
    }
}
