using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Playground.Cluster;

/// <summary>
/// The stand-in's way to the API server: KubernetesClient over HTTP, as kube-controller-manager and the kubelet
/// use client-go. Each write carries the field manager of the component it stands in for (kube-controller-manager,
/// kubelet), so managedFields tell who wrote what. Failures are <see cref="KubernetesApiException"/>.
/// </summary>
public sealed class ClusterClient(IKubernetes kubernetes, string fieldManager)
{
    public IKubernetes Kubernetes { get; } = kubernetes;

    public string FieldManager { get; } = fieldManager;

    /// <summary>A live read; null when not found.</summary>
    public async Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceType.Of<T>();
        try
        {
            var result = await CallAsync("get", type, @namespace, name, () => @namespace is null
                ? Kubernetes.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<T>(type.Group, type.Version, type.Plural, name, cancellationToken: cancellationToken)
                : Kubernetes.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(type.Group, type.Version, @namespace, type.Plural, name, cancellationToken: cancellationToken));
            type.Stamp(result);
            return result;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Creates a namespaced object (metadata.generateName works: the server picks the name).</summary>
    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = ResourceType.Of<T>();
        type.Stamp(obj);
        var ns = obj.Metadata.NamespaceProperty;
        var result = await CallAsync("create", type, ns, obj.Metadata.Name ?? obj.Metadata.GenerateName + "*", () =>
            Kubernetes.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, type.Group, type.Version, ns, type.Plural, fieldManager: FieldManager, cancellationToken: cancellationToken));
        type.Stamp(result);
        return result;
    }

    /// <summary>A JSON merge patch of the object (or of its status or scale subresource).</summary>
    public async Task PatchAsync<T>(string @namespace, string name, object mergePatch, CancellationToken cancellationToken, string? subresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceType.Of<T>();
        var patch = new V1Patch(mergePatch, V1Patch.PatchType.MergePatch);
        await CallAsync("patch", type, @namespace, name, () => subresource switch
        {
            null => Kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<object>(patch, type.Group, type.Version, @namespace, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken),
            "status" => Kubernetes.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<object>(patch, type.Group, type.Version, @namespace, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken),
            "scale" => Kubernetes.CustomObjects.PatchNamespacedCustomObjectScaleWithHttpMessagesAsync<object>(patch, type.Group, type.Version, @namespace, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(subresource), subresource, "status or scale"),
        });
    }

    /// <summary>Replaces the status subresource (PUT .../status); its resourceVersion makes a stale write a Conflict.</summary>
    public async Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = ResourceType.Of<T>();
        type.Stamp(obj);
        var ns = obj.Metadata.NamespaceProperty;
        var name = obj.Metadata.Name;
        var result = await CallAsync("update status of", type, ns, name, () =>
            Kubernetes.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(obj, type.Group, type.Version, ns, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken));
        type.Stamp(result);
        return result;
    }

    /// <summary>Deletes the object if it still has <paramref name="uid"/> (dependents in the background); false when it was gone.</summary>
    public async Task<bool> DeleteAsync<T>(string @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceType.Of<T>();
        var options = new V1DeleteOptions
        {
            PropagationPolicy = "Background",
            Preconditions = uid is null ? null : new V1Preconditions { Uid = uid },
        };
        try
        {
            await CallAsync("delete", type, @namespace, name, () =>
                Kubernetes.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<object>(type.Group, type.Version, @namespace, type.Plural, name, options, cancellationToken: cancellationToken));
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private static async Task<TResult> CallAsync<TResult>(string verb, ResourceType type, string? @namespace, string name, Func<Task<HttpOperationResponse<TResult>>> call)
    {
        var what = @namespace is null ? $"{type.Kind} {name}" : $"{type.Kind} {@namespace}/{name}";
        try
        {
            using var response = await call();
            return response.Body;
        }
        catch (HttpOperationException e)
        {
            throw ApiErrors.FromHttpOperation(e, verb, what);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException(ApiErrorReason.Unknown, 0, $"{verb} {what}: the API server could not be reached: {e.Message}", innerException: e);
        }
    }
}
