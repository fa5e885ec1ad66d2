using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Events;

/// <summary>The identity of an event for aggregation: same object, type, reason and message.</summary>
public readonly record struct EventKey(string? Namespace, string ObjectUid, string ObjectName, EventType Type, string Reason, string Message);

/// <summary>Either create a new Event with this name, or bump an existing one to this count.</summary>
public readonly record struct EventDecision(bool Create, string Name, int Count);

/// <summary>
/// Decides whether an event is new or a repeat (client-go's <c>EventCorrelator</c>, simplified): the
/// same key seen again within the window bumps the count of the Event already written instead of
/// writing another. Names are <c>&lt;object&gt;.&lt;hex time&gt;</c> as client-go makes them.
/// </summary>
public sealed class EventAggregator(TimeProvider time, TimeSpan window)
{
    private readonly Lock gate = new();
    private readonly Dictionary<EventKey, Entry> seen = [];
    private long lastStamp;

    public EventDecision Observe(EventKey key)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (seen.TryGetValue(key, out var entry) && now - entry.LastSeen <= window)
            {
                entry.Count++;
                entry.LastSeen = now;
                return new EventDecision(false, entry.Name, entry.Count);
            }

            var stamp = Math.Max(now.UtcTicks, lastStamp + 1);
            lastStamp = stamp;
            var name = $"{key.ObjectName}.{stamp:x}";
            seen[key] = new Entry(name) { LastSeen = now };
            Prune(now);
            return new EventDecision(true, name, 1);
        }
    }

    /// <summary>Forgets a key (its Event vanished); the next one is created anew.</summary>
    public void Forget(EventKey key)
    {
        lock (gate)
        {
            seen.Remove(key);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (seen.Count < 4096)
        {
            return;
        }

        foreach (var stale in seen.Where(e => now - e.Value.LastSeen > window).Select(e => e.Key).ToList())
        {
            seen.Remove(stale);
        }
    }

    private sealed class Entry(string name)
    {
        public string Name { get; } = name;

        public int Count { get; set; } = 1;

        public DateTimeOffset LastSeen { get; set; }
    }
}
