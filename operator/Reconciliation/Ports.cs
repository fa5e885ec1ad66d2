using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation;

// The reconcile core's view of the cluster. Runtime/ implements these ports on KubernetesClient
// (informer caches for reads, HTTP for writes); tests implement them in memory. Nothing in
// Reconciliation/ knows about HTTP, watches or queues.

/// <summary>Reads from the informer caches: cheap, possibly a little stale.</summary>
public interface IClusterReader
{
    WebApp? GetWebApp(string @namespace, string name);

    /// <summary>The object of that kind and name, or null.</summary>
    T? Get<T>(string @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Objects of that kind in the namespace whose controller owner reference has this uid.</summary>
    IReadOnlyList<T> ListOwned<T>(string @namespace, string ownerUid) where T : class, IKubernetesObject<V1ObjectMeta>;
}

/// <summary>Writes to the API server. Failures surface as <see cref="ApiException"/>.</summary>
public interface IClusterWriter
{
    /// <summary>Reads one object from the API server itself, bypassing the cache (after a conflict).</summary>
    Task<T?> GetFreshAsync<T>(string @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>A full update (PUT) guarded by the object's resourceVersion.</summary>
    Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes the object if it still has this uid (a precondition, so a re-created namesake survives).</summary>
    Task DeleteAsync<T>(string @namespace, string name, string uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Writes the status subresource, guarded by the WebApp's resourceVersion.</summary>
    Task<WebApp> UpdateStatusAsync(WebApp app, CancellationToken cancellationToken);
}

/// <summary>Kubernetes Events on the WebApp; implementations aggregate repeats instead of flooding.</summary>
public interface IEventRecorder
{
    void Record(WebApp app, EventType type, string reason, string message);
}

public enum EventType
{
    Normal,
    Warning,
}

/// <summary>Why an API call failed, as the reconciler needs to tell apart.</summary>
public enum ApiFailure
{
    NotFound,
    Conflict,
    AlreadyExists,
    Invalid,
    Forbidden,
    Gone,
    Other,
}

/// <summary>An API call that failed with a Kubernetes Status.</summary>
public sealed class ApiException(ApiFailure failure, int statusCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ApiFailure Failure { get; } = failure;
    public int StatusCode { get; } = statusCode;
}
