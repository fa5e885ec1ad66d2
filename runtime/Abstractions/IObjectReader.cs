using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Abstractions;

/// <summary>
/// The read port: objects as the informers' caches last saw them (controller-runtime's cache-backed
/// client). Reads never go to the API server. Every returned object is a copy the caller may change.
/// A cache keeps what its watch's transform kept, which may be less than the whole object. Only types
/// the runtime watches can be read; reading another type throws InvalidOperationException.
/// </summary>
public interface IObjectReader
{
    /// <summary>The object, or null when the cache has none by that name.</summary>
    T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Objects in the namespace (all namespaces when null) whose labels include every pair of
    /// <paramref name="matchLabels"/>, ordered by namespace then name.
    /// </summary>
    IReadOnlyList<T> List<T>(string? @namespace = null, IReadOnlyDictionary<string, string>? matchLabels = null)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Objects whose ownerReferences name the owner uid, ordered by namespace then name.</summary>
    IReadOnlyList<T> ListOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Objects a named index of their watch files under <paramref name="value"/>, ordered by namespace then name.</summary>
    IReadOnlyList<T> ListByIndex<T>(string index, string value)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// The resourceVersion of the cached object (or of its cached metadata, for a type watched as metadata
    /// only), or null when the cache has none by that name. Cheap: nothing is deserialized.
    /// </summary>
    string? VersionOf<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>The keys and resourceVersions of the objects owned by the owner uid, in key order. Cheap: nothing is deserialized.</summary>
    IReadOnlyList<ObjectVersion> VersionsOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// The metadata of an object of a type watched as metadata only (its name, namespace, uid,
    /// resourceVersion, labels and owners), or null when the cache has none by that name.
    /// </summary>
    V1ObjectMeta? GetMetadata<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

/// <summary>Which version of an object a cache holds: its key (<c>namespace/name</c>) and resourceVersion.</summary>
public readonly record struct ObjectVersion(string Key, string? ResourceVersion);
