using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Abstractions;

/// <summary>
/// The write port: calls to the API server for any entity type (built-in or WebApp). Failures are
/// thrown as <see cref="KubernetesApiException"/> with a <see cref="ApiErrorReason"/>; a Conflict means
/// the object changed since it was read: read it fresh and try again.
/// </summary>
public interface IObjectWriter
{
    /// <summary>A live read from the API server (not the cache); null when not found.</summary>
    Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object (PUT); metadata.resourceVersion makes it fail with Conflict if stale.</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Applies a JSON merge patch (RFC 7386): a JSON string or an object serialized as JSON.</summary>
    Task<T> PatchAsync<T>(string? @namespace, string name, object mergePatch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Deletes the object (dependents in the background); false when it was already gone. With
    /// <paramref name="uid"/>, only if it still has that uid (a namesake created since is left alone: Conflict).
    /// </summary>
    Task<bool> DeleteAsync<T>(string? @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the status subresource only (PUT .../status); spec changes are ignored by the server.</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
