using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// <see cref="IObjectReader"/> over the stores of the running informers. Hands out deep copies so a
/// reconciler can edit what it read without touching the cache.
/// </summary>
public sealed class CacheReader : IObjectReader
{
    private volatile Dictionary<Type, object> stores = new Dictionary<Type, object>();

    /// <summary>Forgets every store (before a new leadership term attaches its own).</summary>
    public void Reset() => stores = new Dictionary<Type, object>();

    /// <summary>Serves reads of <typeparamref name="T"/> from this store.</summary>
    public void Attach<T>(ObjectStore<T> store)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var next = new Dictionary<Type, object>(stores) { [typeof(T)] = store };
        stores = next;
    }

    public T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Copy(Store<T>().Get(@namespace, name));

    public IReadOnlyList<T> List<T>(string? @namespace = null, IReadOnlyDictionary<string, string>? matchLabels = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. Store<T>().List(@namespace, matchLabels).Select(o => Copy(o)!)];

    public IReadOnlyList<T> ListOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        [.. Store<T>().ListOwnedBy(ownerUid).Select(o => Copy(o)!)];

    private ObjectStore<T> Store<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        stores.TryGetValue(typeof(T), out var store)
            ? (ObjectStore<T>)store
            : throw new InvalidOperationException($"No informer watches {typeof(T).Name}; the runtime caches only the types registered with the controller manager.");

    private static T? Copy<T>(T? obj)
        where T : class =>
        obj is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
