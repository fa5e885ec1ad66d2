using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>A change to one object, as the watch history keeps it.</summary>
public sealed record StoredEvent(long Revision, string Type, string StorageKey, JsonObject Object, JsonObject? Previous);

/// <summary>
/// All objects, keyed by storage key (group/plural), then namespace/name; a global resourceVersion counter;
/// a bounded history of changes for watches. Every member must be called while holding <see cref="Gate"/>:
/// stored JsonObjects are never mutated after they are stored, and never read outside the lock.
/// </summary>
public sealed class ObjectStore
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private readonly int _historyLimit;
    private long _revision;
    private long _compactedThrough;

    public ObjectStore(int historyLimit)
    {
        _historyLimit = historyLimit;
    }

    public object Gate { get; } = new();

    public long Revision => _revision;

    public static string RevisionText(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public JsonObject? Get(string storageKey, string? ns, string name) =>
        _objects.TryGetValue(storageKey, out var bucket) && bucket.TryGetValue(Key(ns, name), out var obj) ? obj : null;

    public IReadOnlyList<JsonObject> List(string storageKey, string? ns) =>
        !_objects.TryGetValue(storageKey, out var bucket) ? []
        : ns is null ? [.. bucket.Values]
        : [.. bucket.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(p => p.Value)];

    public IEnumerable<(string StorageKey, JsonObject Object)> All() =>
        _objects.SelectMany(b => b.Value.Values.Select(o => (b.Key, o))).ToList();

    /// <summary>Stores a new version of an object (the caller's node becomes owned by the store) and notifies watchers.</summary>
    public JsonObject Put(string storageKey, JsonObject obj, string eventType, JsonObject? previous)
    {
        var revision = ++_revision;
        obj["metadata"]!["resourceVersion"] = RevisionText(revision);

        // Re-parsed, every number reads as any CLR numeric type (GetValue<long> on a stored int works).
        obj = Normalize(obj);
        if (!_objects.TryGetValue(storageKey, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[storageKey] = bucket;
        }

        bucket[Key(Namespace(obj), Name(obj))] = obj;
        Record(new StoredEvent(revision, eventType, storageKey, obj, previous));
        return obj;
    }

    /// <summary>Removes an object; watchers get DELETED with the object at the deletion's resourceVersion.</summary>
    public JsonObject Remove(string storageKey, JsonObject current)
    {
        var revision = ++_revision;
        var gone = Normalize(current);
        gone["metadata"]!["resourceVersion"] = RevisionText(revision);
        _objects[storageKey].Remove(Key(Namespace(current), Name(current)));
        Record(new StoredEvent(revision, "DELETED", storageKey, gone, current));
        return gone;
    }

    /// <summary>
    /// Starts a watch. From a revision: replays the history after it, or throws 410 Gone when it is compacted.
    /// Without one: the current objects as ADDED first.
    /// </summary>
    public Watcher Watch(string storageKey, Func<JsonObject, bool> matches, long? fromRevision)
    {
        var watcher = new Watcher(storageKey, matches);
        if (fromRevision is { } from)
        {
            if (from < _compactedThrough)
            {
                throw ApiException.Gone($"too old resource version: {from} ({_compactedThrough})");
            }

            foreach (var e in _history.Where(e => e.Revision > from && e.StorageKey == storageKey))
            {
                watcher.Offer(e);
            }
        }
        else
        {
            foreach (var obj in List(storageKey, null).Where(matches))
            {
                watcher.Events.Writer.TryWrite(("ADDED", obj));
            }
        }

        _watchers.Add(watcher);
        return watcher;
    }

    public void StopWatching(Watcher watcher)
    {
        _watchers.Remove(watcher);
        watcher.Events.Writer.TryComplete();
    }

    /// <summary>Ends every open watch stream (clients see the response end and must watch again).</summary>
    public int DropWatches()
    {
        var count = _watchers.Count;
        foreach (var w in _watchers)
        {
            w.Events.Writer.TryComplete();
        }

        _watchers.Clear();
        return count;
    }

    /// <summary>Forgets the history: a watch from any resourceVersion older than the current one gets 410 Gone.</summary>
    public void Compact()
    {
        _history.Clear();
        _compactedThrough = _revision;
    }

    public int WatcherCount => _watchers.Count;

    private void Record(StoredEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.First!.Value.Revision;
            _history.RemoveFirst();
        }

        foreach (var w in _watchers)
        {
            if (w.StorageKey == e.StorageKey)
            {
                w.Offer(e);
            }
        }
    }

    private static JsonObject Normalize(JsonObject obj) => (JsonObject)JsonNode.Parse(obj.ToJsonString())!;

    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private static string Key(string? ns, string name) => $"{ns}/{name}";
}

/// <summary>One open watch: the events that match its filter, in order.</summary>
public sealed class Watcher
{
    private readonly Func<JsonObject, bool> _matches;

    public Watcher(string storageKey, Func<JsonObject, bool> matches)
    {
        StorageKey = storageKey;
        _matches = matches;
    }

    public string StorageKey { get; }

    public Channel<(string Type, JsonObject Object)> Events { get; } = Channel.CreateUnbounded<(string, JsonObject)>();

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
            Events.Writer.TryWrite((type, e.Object));
        }
    }
}
