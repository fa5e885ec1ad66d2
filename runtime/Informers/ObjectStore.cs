using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>A change the store applied, for the informer to hand to its event handlers.</summary>
public readonly record struct StoreChange<T>(WatchEventType Type, T? Old, T? New);

/// <summary>
/// The thread-safe cache of one resource type, keyed by <c>namespace/name</c>, with indexes by
/// namespace and by owner uid (client-go's <c>ThreadSafeStore</c> with indexers).
/// Objects in the store are never handed out for mutation: readers get copies.
/// </summary>
public sealed class ObjectStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, T> items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> byOwner = new(StringComparer.Ordinal);

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

    public T? Get(string? @namespace, string name)
    {
        lock (gate)
        {
            return items.GetValueOrDefault(new ObjectKey(@namespace, name).ToString());
        }
    }

    /// <summary>Objects in the namespace (all when null) carrying every label given, ordered by key.</summary>
    public IReadOnlyList<T> List(string? @namespace = null, IReadOnlyDictionary<string, string>? matchLabels = null)
    {
        lock (gate)
        {
            IEnumerable<T> candidates = @namespace is null
                ? items.Values
                : byNamespace.TryGetValue(@namespace, out var keys) ? keys.Select(k => items[k]) : [];
            return Sorted(candidates.Where(o => LabelSelectors.Matches(o.Metadata?.Labels, matchLabels)));
        }
    }

    public IReadOnlyList<T> ListOwnedBy(string ownerUid)
    {
        lock (gate)
        {
            return byOwner.TryGetValue(ownerUid, out var keys) ? Sorted(keys.Select(k => items[k])) : [];
        }
    }

    /// <summary>Adds or replaces the object; returns what changed (Added or Modified).</summary>
    public StoreChange<T> Upsert(T obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = ObjectKey.Of(obj).ToString();
        lock (gate)
        {
            var old = items.GetValueOrDefault(key);
            if (old is not null)
            {
                Unindex(key, old);
            }

            items[key] = obj;
            Index(key, obj);
            return new StoreChange<T>(old is null ? WatchEventType.Added : WatchEventType.Modified, old, obj);
        }
    }

    /// <summary>Removes the object; returns the last state the store knew, or null if it had none.</summary>
    public T? Delete(T obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = ObjectKey.Of(obj).ToString();
        lock (gate)
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh list (after a relist) and returns the differences in
    /// key order: Added for new keys, Modified where the resourceVersion changed, Deleted for keys gone.
    /// </summary>
    public IReadOnlyList<StoreChange<T>> Replace(IEnumerable<T> fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var next = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var obj in fresh)
        {
            next[ObjectKey.Of(obj).ToString()] = obj;
        }

        var changes = new List<StoreChange<T>>();
        lock (gate)
        {
            foreach (var key in items.Keys.Where(k => !next.ContainsKey(k)).Order(StringComparer.Ordinal).ToList())
            {
                var old = items[key];
                items.Remove(key);
                Unindex(key, old);
                changes.Add(new StoreChange<T>(WatchEventType.Deleted, old, null));
            }

            foreach (var (key, obj) in next)
            {
                if (items.Remove(key, out var old))
                {
                    Unindex(key, old);
                }

                items[key] = obj;
                Index(key, obj);
                if (old is null)
                {
                    changes.Add(new StoreChange<T>(WatchEventType.Added, null, obj));
                }
                else if (old.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion)
                {
                    changes.Add(new StoreChange<T>(WatchEventType.Modified, old, obj));
                }
            }
        }

        return changes;
    }

    private static List<T> Sorted(IEnumerable<T> objects) =>
        [.. objects.OrderBy(o => o.Metadata?.NamespaceProperty ?? "", StringComparer.Ordinal).ThenBy(o => o.Metadata?.Name ?? "", StringComparer.Ordinal)];

    private void Index(string key, T obj)
    {
        if (obj.Metadata?.NamespaceProperty is { Length: > 0 } ns)
        {
            Bucket(byNamespace, ns).Add(key);
        }

        foreach (var owner in obj.Metadata?.OwnerReferences ?? [])
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                Bucket(byOwner, owner.Uid).Add(key);
            }
        }
    }

    private void Unindex(string key, T obj)
    {
        if (obj.Metadata?.NamespaceProperty is { Length: > 0 } ns)
        {
            Remove(byNamespace, ns, key);
        }

        foreach (var owner in obj.Metadata?.OwnerReferences ?? [])
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                Remove(byOwner, owner.Uid, key);
            }
        }
    }

    private static HashSet<string> Bucket(Dictionary<string, HashSet<string>> index, string value)
    {
        if (!index.TryGetValue(value, out var bucket))
        {
            bucket = new HashSet<string>(StringComparer.Ordinal);
            index[value] = bucket;
        }

        return bucket;
    }

    private static void Remove(Dictionary<string, HashSet<string>> index, string value, string key)
    {
        if (index.TryGetValue(value, out var bucket) && bucket.Remove(key) && bucket.Count == 0)
        {
            index.Remove(value);
        }
    }
}
