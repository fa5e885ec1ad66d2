using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Events;

/// <summary>The identity of an event for aggregation: same object, type, reason and message.</summary>
public readonly record struct EventKey(string? Namespace, string ObjectUid, string ObjectName, EventType Type, string Reason, string Message);

/// <summary>Either create a new Event with this name, or bump an existing one to this count.</summary>
public readonly record struct EventDecision(bool Create, string Name, int Count);

/// <summary>
/// Decides whether an event is new or a repeat (client-go's <c>EventCorrelator</c>, simplified): the
/// same key seen again within the window bumps the count of the Event already written instead of
/// writing another. Names are <c>&lt;object&gt;.&lt;hex time&gt;</c> as client-go makes them. A key is
/// remembered as a 128-bit digest of its fields, not as its strings: a fleet's worth of keys is thousands
/// of messages naming every child, and only their identity is needed.
/// </summary>
public sealed class EventAggregator(TimeProvider time, TimeSpan window)
{
    /// <summary>How many event keys are kept between prunings (at most twice as many in between).</summary>
    public const int Capacity = 4096;

    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, Entry> seen = [];
    private long lastStamp;

    public EventDecision Observe(EventKey key)
    {
        var digest = Digest(key);
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (seen.TryGetValue(digest, out var entry) && now - entry.LastSeen <= window)
            {
                entry.Count++;
                entry.LastSeen = now;
                return new EventDecision(false, entry.Name, entry.Count);
            }

            var stamp = Math.Max(now.UtcTicks, lastStamp + 1);
            lastStamp = stamp;
            var name = $"{key.ObjectName}.{stamp:x}";
            seen[digest] = new Entry(name) { LastSeen = now };
            Prune(now);
            return new EventDecision(true, name, 1);
        }
    }

    /// <summary>How many event keys are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return seen.Count;
            }
        }
    }

    /// <summary>Forgets a key (its Event vanished); the next one is created anew.</summary>
    public void Forget(EventKey key)
    {
        var digest = Digest(key);
        lock (gate)
        {
            seen.Remove(digest);
        }
    }

    // SHA-256 of the fields, each length-prefixed (no two keys share an encoding), cut to 128 bits.
    private static UInt128 Digest(EventKey key)
    {
        string[] fields = [key.Namespace ?? "\0", key.ObjectUid, key.ObjectName, key.Type.ToString(), key.Reason, key.Message];
        var size = fields.Sum(f => 4 + Encoding.UTF8.GetMaxByteCount(f.Length));
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = 0;
            foreach (var field in fields)
            {
                var written = Encoding.UTF8.GetBytes(field, buffer.AsSpan(at + 4));
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), written);
                at += 4 + written;
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, at), hash);
            return BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Bounded as client-go's correlator bounds its cache (an LRU of 4096): past the capacity, entries older
    // than the window go first, then the least recently seen. It runs when the map reaches twice the
    // capacity, so its cost is shared by the 4096 events in between (scanning on every event past the
    // capacity cost a full scan per event at fleet scale).
    private void Prune(DateTimeOffset now)
    {
        if (seen.Count < 2 * Capacity)
        {
            return;
        }

        var byAge = seen.OrderByDescending(e => e.Value.LastSeen).ToList();
        foreach (var (key, _) in byAge.Skip(Capacity))
        {
            seen.Remove(key);
        }

        foreach (var (key, entry) in byAge.Take(Capacity).Where(e => now - e.Value.LastSeen > window))
        {
            seen.Remove(key);
        }
    }

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;

        public int Count { get; set; } = 1;

        public DateTimeOffset LastSeen { get; set; }
    }
}
