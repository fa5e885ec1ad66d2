using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>A change to one object, as the watch history keeps it.</summary>
public sealed record StoredEvent(long Revision, string Type, StoredObject Object, StoredObject? Previous);

/// <summary>
/// All objects, per resource (storage key: group/plural) in the order of their keys ("namespace/name"),
/// so a LIST of one namespace or from a continue token reads only its range; a global resourceVersion
/// counter; per resource, a bounded history of changes that watches replay and continued LISTs use to
/// serve later pages at the first page's resourceVersion (as the watch cache and etcd do).
/// Every member must be called while holding <see cref="Gate"/>.
/// </summary>
public sealed class ObjectStore
{
    private const string AfterEveryKey = "\uffff";
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly int _historyLimit;
    private long _revision;

    public ObjectStore(int historyLimit)
    {
        _historyLimit = Math.Max(1, historyLimit);
    }

    public object Gate { get; } = new();

    public long Revision => _revision;

    public int WatcherCount => _buckets.Values.Sum(b => b.Watchers.Count);

    public static string RevisionText(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public static string Name(JsonObject obj) => Defaults.Fields.String(obj["metadata"]?["name"]) ?? "";

    public StoredObject? Get(string storageKey, string? ns, string name) =>
        _buckets.TryGetValue(storageKey, out var bucket) && bucket.Objects.TryGetValue(StoredObject.KeyOf(ns, name), out var obj) ? obj : null;

    /// <summary>The current objects of one resource, in one namespace or all, after a key, in key order (a view: read it under the lock).</summary>
    public IReadOnlyList<StoredObject> List(string storageKey, string? ns, string? afterKey = null) =>
        _buckets.TryGetValue(storageKey, out var bucket) ? Range(bucket, ns, afterKey) : [];

    public int Count(string storageKey) => _buckets.TryGetValue(storageKey, out var bucket) ? bucket.Objects.Count : 0;

    /// <summary>Every object of every resource (a copy of the references: safe to change the store while iterating).</summary>
    public IReadOnlyList<StoredObject> All() => [.. _buckets.Values.SelectMany(b => b.Objects.Values)];

    /// <summary>The oldest resourceVersion a watch or a continued LIST of this resource can still start from.</summary>
    public long CompactedThrough(string storageKey) => _buckets.TryGetValue(storageKey, out var bucket) ? bucket.CompactedThrough : 0;

    /// <summary>
    /// The objects of one resource as they were at <paramref name="revision"/>, after <paramref name="afterKey"/>,
    /// in key order: the current objects with the changes made since undone from the history.
    /// Throws 410 Expired when the history no longer reaches back that far.
    /// </summary>
    public IReadOnlyList<StoredObject> ListAt(string storageKey, string? ns, string? afterKey, long revision)
    {
        if (!_buckets.TryGetValue(storageKey, out var bucket))
        {
            return [];
        }

        if (revision < bucket.CompactedThrough)
        {
            throw ApiException.Gone($"too old resource version: {revision} ({bucket.CompactedThrough})");
        }

        if (bucket.History.Last is not { } last || last.Value.Revision <= revision)
        {
            return Range(bucket, ns, afterKey);
        }

        // Newest first: the last assignment for a key is its state just before the oldest change after revision.
        var then = new Dictionary<string, StoredObject?>(StringComparer.Ordinal);
        for (var node = last; node is not null && node.Value.Revision > revision; node = node.Previous)
        {
            then[node.Value.Object.Key] = node.Value.Previous;
        }

        var (lower, upper) = Bounds(ns, afterKey);
        bool InRange(string key) => string.CompareOrdinal(key, lower) >= 0 && string.CompareOrdinal(key, upper) < 0 && key != afterKey;
        var items = Range(bucket, ns, afterKey).Where(o => !then.ContainsKey(o.Key)).ToList();
        items.AddRange(then.Where(p => p.Value is not null && InRange(p.Key)).Select(p => p.Value!));
        items.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return items;
    }

    /// <summary>Stores a new version of an object (ADDED when there was none) and notifies watchers.</summary>
    public StoredObject Put(string storageKey, JsonObject obj, StoredObject? previous)
    {
        var revision = ++_revision;
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = RevisionText(revision);
        var stored = StoredObject.From(storageKey, obj);
        var bucket = BucketOf(storageKey);
        var at = bucket.IndexOf(stored.Key);
        if (at >= 0)
        {
            bucket.Ordered[at] = stored;
        }
        else
        {
            bucket.Ordered.Insert(~at, stored);
        }

        bucket.Objects[stored.Key] = stored;

        Record(bucket, new StoredEvent(revision, previous is null ? "ADDED" : "MODIFIED", stored, previous));
        return stored;
    }

    /// <summary>Removes an object; watchers get DELETED with the object at the deletion's resourceVersion.</summary>
    public StoredObject Remove(StoredObject current)
    {
        var revision = ++_revision;
        var node = current.ToNode();
        ((JsonObject)node["metadata"]!)["resourceVersion"] = RevisionText(revision);
        var gone = StoredObject.From(current.StorageKey, node);
        var bucket = BucketOf(current.StorageKey);
        bucket.Objects.Remove(current.Key);
        var at = bucket.IndexOf(current.Key);
        if (at >= 0)
        {
            bucket.Ordered.RemoveAt(at);
        }
        Record(bucket, new StoredEvent(revision, "DELETED", gone, current));
        return gone;
    }

    /// <summary>
    /// Starts a watch. From a revision: replays the history after it, or throws 410 Expired when it is compacted.
    /// Without one (or with <paramref name="initialEvents"/>): the current objects as ADDED first, then, for
    /// initialEvents, the end marker the handler turns into the "initial-events-end" bookmark.
    /// </summary>
    public Watcher Watch(string storageKey, string? ns, Func<StoredObject, bool> matches, long? fromRevision, bool initialEvents)
    {
        var bucket = BucketOf(storageKey);
        var watcher = new Watcher(storageKey, matches);
        if (fromRevision is { } from && !initialEvents)
        {
            if (from < bucket.CompactedThrough)
            {
                throw ApiException.Gone($"too old resource version: {from} ({bucket.CompactedThrough})");
            }

            foreach (var e in bucket.History.Where(e => e.Revision > from))
            {
                watcher.Offer(e);
            }
        }
        else
        {
            foreach (var obj in Range(bucket, ns, null).Where(matches))
            {
                watcher.Events.Writer.TryWrite(new WatchEvent("ADDED", obj));
            }

            if (initialEvents)
            {
                watcher.Events.Writer.TryWrite(new WatchEvent(WatchEvent.InitialEventsEnd, null));
            }
        }

        bucket.Watchers.Add(watcher);
        return watcher;
    }

    public void StopWatching(Watcher watcher)
    {
        if (_buckets.TryGetValue(watcher.StorageKey, out var bucket))
        {
            bucket.Watchers.Remove(watcher);
        }

        watcher.Events.Writer.TryComplete();
    }

    /// <summary>Ends every open watch stream (clients see the response end and must watch again).</summary>
    public int DropWatches()
    {
        var count = 0;
        foreach (var bucket in _buckets.Values)
        {
            foreach (var w in bucket.Watchers)
            {
                w.Events.Writer.TryComplete();
            }

            count += bucket.Watchers.Count;
            bucket.Watchers.Clear();
        }

        return count;
    }

    /// <summary>Forgets the history: a watch or a continued LIST from any resourceVersion older than the current one gets 410.</summary>
    public void Compact()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.History.Clear();
            bucket.CompactedThrough = _revision;
        }
    }

    private Bucket BucketOf(string storageKey)
    {
        if (!_buckets.TryGetValue(storageKey, out var bucket))
        {
            bucket = new Bucket();
            _buckets[storageKey] = bucket;
        }

        return bucket;
    }

    private void Record(Bucket bucket, StoredEvent e)
    {
        bucket.History.AddLast(e);
        while (bucket.History.Count > _historyLimit)
        {
            bucket.CompactedThrough = bucket.History.First!.Value.Revision;
            bucket.History.RemoveFirst();
        }

        foreach (var w in bucket.Watchers)
        {
            w.Offer(e);
        }
    }

    private static (string Lower, string Upper) Bounds(string? ns, string? afterKey)
    {
        // Keys of one namespace are "ns/name": they sort between "ns/" and "ns0" ('0' follows '/').
        var lower = ns is null ? "" : ns + "/";
        var upper = ns is null ? AfterEveryKey : ns + "0";
        if (afterKey is not null && string.CompareOrdinal(afterKey, lower) > 0)
        {
            lower = afterKey;
        }

        return (lower, upper);
    }

    private static IReadOnlyList<StoredObject> Range(Bucket bucket, string? ns, string? afterKey)
    {
        var (lower, upper) = Bounds(ns, afterKey);
        var start = bucket.IndexOf(lower);
        start = start >= 0 ? (lower == afterKey ? start + 1 : start) : ~start;
        var end = bucket.IndexOf(upper);
        end = end >= 0 ? end : ~end;
        return new RangeView(bucket.Ordered, start, Math.Max(start, end));
    }

    /// <summary>A slice of a bucket's ordered objects: its count and items without copying them.</summary>
    private sealed class RangeView(List<StoredObject> ordered, int start, int end) : IReadOnlyList<StoredObject>
    {
        public int Count => end - start;

        public StoredObject this[int index] => ordered[start + index];

        public IEnumerator<StoredObject> GetEnumerator()
        {
            for (var i = start; i < end; i++)
            {
                yield return ordered[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Bucket
    {
        /// <summary>The objects in key order: a sorted array, so a range is two binary searches and a count is a subtraction.</summary>
        public List<StoredObject> Ordered { get; } = [];
        public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);
        public LinkedList<StoredEvent> History { get; } = new();
        public List<Watcher> Watchers { get; } = [];
        public long CompactedThrough { get; set; }

        /// <summary>List.BinarySearch's contract: the index of the key, or the complement of where it would go.</summary>
        public int IndexOf(string key)
        {
            int lo = 0, hi = Ordered.Count - 1;
            while (lo <= hi)
            {
                var mid = lo + ((hi - lo) >> 1);
                var c = string.CompareOrdinal(Ordered[mid].Key, key);
                if (c == 0)
                {
                    return mid;
                }

                if (c < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return ~lo;
        }
    }
}

/// <summary>What one watcher receives: an event type and the object (none for the initial-events-end marker).</summary>
public readonly record struct WatchEvent(string Type, StoredObject? Object)
{
    public const string InitialEventsEnd = "INITIAL_EVENTS_END";
}

/// <summary>One open watch: the events that match its filter, in order.</summary>
public sealed class Watcher
{
    private readonly Func<StoredObject, bool> _matches;

    public Watcher(string storageKey, Func<StoredObject, bool> matches)
    {
        StorageKey = storageKey;
        _matches = matches;
    }

    public string StorageKey { get; }

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>();

    /// <summary>Translates a change into what this watcher sees: an object that starts or stops matching is ADDED or DELETED.</summary>
    internal void Offer(StoredEvent e)
    {
        var now = e.Type != "DELETED" && _matches(e.Object);
        var before = e.Previous is not null && _matches(e.Previous);
        var type = e.Type switch
        {
            "DELETED" => before || _matches(e.Object) ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            Events.Writer.TryWrite(new WatchEvent(type, e.Object));
        }
    }
}
