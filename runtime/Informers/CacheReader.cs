using k8s;
using k8s.Models;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// <see cref="IObjectReader"/> over the stores of the running informers. A store holds JSON, so every
/// read deserializes a fresh copy: a reconciler can edit what it read without touching the cache.
/// </summary>
public sealed class CacheReader : IObjectReader
{
    private volatile Dictionary<(Type Type, bool MetadataOnly), ObjectStore> stores = [];

    /// <summary>Forgets every store (before a new leadership term attaches its own).</summary>
    public void Reset() => stores = [];

    /// <summary>Serves reads of <paramref name="type"/> (or of its metadata alone) from this store.</summary>
    public void Attach(Type type, bool metadataOnly, ObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(store);
        stores = new Dictionary<(Type, bool), ObjectStore>(stores) { [(type, metadataOnly)] = store };
    }

    public T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Store<T>(false).Get(new ObjectKey(@namespace, name).ToString())?.Read<T>();

    public IReadOnlyList<T> List<T>(string? @namespace = null, IReadOnlyDictionary<string, string>? matchLabels = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. Store<T>(false).List(@namespace).Select(e => e.Read<T>()).Where(o => LabelSelectors.Matches(o.Metadata?.Labels, matchLabels))];

    public IReadOnlyList<T> ListOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        ListByIndex<T>(ObjectStore.OwnerIndex, ownerUid);

    public IReadOnlyList<T> ListByIndex<T>(string index, string value)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. Store<T>(false).ByIndex(index, value).Select(e => e.Read<T>())];

    public string? VersionOf<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = new ObjectKey(@namespace, name).ToString();
        var store = stores.TryGetValue((typeof(T), false), out var full) ? full : Store<T>(true);
        return store.Get(key)?.ResourceVersion;
    }

    public IReadOnlyList<ObjectVersion> VersionsOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. Store<T>(false).ByIndex(ObjectStore.OwnerIndex, ownerUid).Select(e => new ObjectVersion(e.Key, e.ResourceVersion))];

    public V1ObjectMeta? GetMetadata<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Store<T>(true).Get(new ObjectKey(@namespace, name).ToString()) is { } entry ? CacheJson.MetadataOf(entry.Json.Span) : null;

    private ObjectStore Store<T>(bool metadataOnly) =>
        stores.TryGetValue((typeof(T), metadataOnly), out var store)
            ? store
            : throw new InvalidOperationException(
                $"No informer watches {typeof(T).Name}{(metadataOnly ? " as metadata" : "")}; the runtime caches only the types registered with the controller manager.");
}
