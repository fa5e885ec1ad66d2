using System.Text.Json.Nodes;
using k8s;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Informers;

/// <summary>Computes the values under which an object is found in one index (client-go's <c>IndexFunc</c>).</summary>
public delegate IEnumerable<string> IndexFunc(JsonObject obj);

/// <summary>One cached object: its key, its resourceVersion, its (transformed) JSON and its index values.</summary>
public sealed class CacheEntry
{
    internal CacheEntry(string key, string? resourceVersion, byte[] json, KeyValuePair<string, string[]>[] indexed)
    {
        Key = key;
        ResourceVersion = resourceVersion;
        Json = json;
        Indexed = indexed;
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    public string Key { get; }

    public string? ResourceVersion { get; }

    /// <summary>The object as the cache keeps it, UTF-8 JSON. Never changed once stored.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    internal KeyValuePair<string, string[]>[] Indexed { get; }

    public T Read<T>() => CacheJson.Deserialize<T>(Json.Span);
}

/// <summary>A change the store applied, for the informer to hand to its event handlers.</summary>
public readonly record struct StoreChange(WatchEventType Type, CacheEntry? Old, CacheEntry? New);

/// <summary>
/// The thread-safe cache of one resource (client-go's <c>ThreadSafeStore</c> with indexers): entries by
/// key, and indexes from values to keys. Two indexes always exist: <see cref="NamespaceIndex"/> and
/// <see cref="OwnerIndex"/> (the uid of every owner reference); more come from the informer's indexers.
/// </summary>
public sealed class ObjectStore
{
    public const string NamespaceIndex = "namespace";
    public const string OwnerIndex = "owner";

    private readonly Lock gate = new();
    private readonly Dictionary<string, CacheEntry> items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> indexes = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, IndexFunc> indexers;

    public ObjectStore(IReadOnlyDictionary<string, IndexFunc>? indexers = null)
    {
        var all = new Dictionary<string, IndexFunc>(StringComparer.Ordinal)
        {
            [NamespaceIndex] = obj => obj["metadata"]?["namespace"] is JsonValue ns && ns.GetValue<string>() is { Length: > 0 } value ? [value] : [],
            [OwnerIndex] = obj => (obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
                .Select(r => r?["uid"] is JsonValue uid ? uid.GetValue<string>() : null)
                .OfType<string>(),
        };
        foreach (var (name, index) in indexers ?? new Dictionary<string, IndexFunc>())
        {
            all[name] = index;
        }

        this.indexers = all;
        foreach (var name in all.Keys)
        {
            indexes[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        }
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Makes the entry for an object (already transformed): its key, resourceVersion, bytes and index values.</summary>
    public CacheEntry Entry(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var ns = metadata?["namespace"] is JsonValue n ? n.GetValue<string>() : null;
        var name = metadata?["name"] is JsonValue m ? m.GetValue<string>() : "";
        var rv = metadata?["resourceVersion"] is JsonValue r ? r.GetValue<string>() : null;
        var indexed = indexers.Select(i => new KeyValuePair<string, string[]>(i.Key, [.. i.Value(obj).Distinct(StringComparer.Ordinal)])).Where(i => i.Value.Length > 0).ToArray();
        return new CacheEntry(new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name).ToString(), rv, CacheJson.ToBytes(obj), indexed);
    }

    public CacheEntry? Get(string key)
    {
        lock (gate)
        {
            return items.GetValueOrDefault(key);
        }
    }

    /// <summary>Every entry, or those of one namespace, in key order.</summary>
    public IReadOnlyList<CacheEntry> List(string? @namespace = null)
    {
        if (@namespace is not null)
        {
            return ByIndex(NamespaceIndex, @namespace);
        }

        lock (gate)
        {
            return Sorted(items.Values);
        }
    }

    /// <summary>The entries an index files under a value, in key order.</summary>
    public IReadOnlyList<CacheEntry> ByIndex(string index, string value)
    {
        lock (gate)
        {
            if (!indexes.TryGetValue(index, out var byValue))
            {
                throw new InvalidOperationException($"no index named \"{index}\"; indexes: {string.Join(", ", indexes.Keys.Order(StringComparer.Ordinal))}");
            }

            return byValue.TryGetValue(value, out var keys) ? Sorted(keys.Select(k => items[k])) : [];
        }
    }

    /// <summary>Adds or replaces an entry; returns what changed (Added or Modified).</summary>
    public StoreChange Upsert(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (gate)
        {
            var old = items.GetValueOrDefault(entry.Key);
            if (old is not null)
            {
                Unindex(old);
            }

            items[entry.Key] = entry;
            Index(entry);
            return new StoreChange(old is null ? WatchEventType.Added : WatchEventType.Modified, old, entry);
        }
    }

    /// <summary>Removes the entry of a key; returns the last state the store knew, or null if it had none.</summary>
    public CacheEntry? Delete(string key)
    {
        lock (gate)
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(old);
            return old;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh list (after a relist) and returns the differences in key
    /// order: Added for new keys, Modified where the resourceVersion changed, Deleted for keys gone.
    /// </summary>
    public IReadOnlyList<StoreChange> Replace(IEnumerable<CacheEntry> fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var next = new SortedDictionary<string, CacheEntry>(StringComparer.Ordinal);
        foreach (var entry in fresh)
        {
            next[entry.Key] = entry;
        }

        var changes = new List<StoreChange>();
        lock (gate)
        {
            foreach (var key in items.Keys.Where(k => !next.ContainsKey(k)).Order(StringComparer.Ordinal).ToList())
            {
                var old = items[key];
                items.Remove(key);
                Unindex(old);
                changes.Add(new StoreChange(WatchEventType.Deleted, old, null));
            }

            foreach (var (key, entry) in next)
            {
                if (items.Remove(key, out var old))
                {
                    Unindex(old);
                }

                items[key] = entry;
                Index(entry);
                if (old is null)
                {
                    changes.Add(new StoreChange(WatchEventType.Added, null, entry));
                }
                else if (old.ResourceVersion != entry.ResourceVersion)
                {
                    changes.Add(new StoreChange(WatchEventType.Modified, old, entry));
                }
            }
        }

        return changes;
    }

    private static List<CacheEntry> Sorted(IEnumerable<CacheEntry> entries) =>
        [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];

    private void Index(CacheEntry entry)
    {
        foreach (var (index, values) in entry.Indexed)
        {
            var byValue = indexes[index];
            foreach (var value in values)
            {
                if (!byValue.TryGetValue(value, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    byValue[value] = keys;
                }

                keys.Add(entry.Key);
            }
        }
    }

    private void Unindex(CacheEntry entry)
    {
        foreach (var (index, values) in entry.Indexed)
        {
            var byValue = indexes[index];
            foreach (var value in values)
            {
                if (byValue.TryGetValue(value, out var keys) && keys.Remove(entry.Key) && keys.Count == 0)
                {
                    byValue.Remove(value);
                }
            }
        }
    }
}
