using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Runtime.Client;

/// <summary>
/// <see cref="IObjectWriter"/> over KubernetesClient's generic custom-object operations, which serve
/// built-in types as well (group "" maps to <c>/api/v1</c>). Paths come from each type's
/// [KubernetesEntity] attribute; failures become <see cref="KubernetesApiException"/>.
/// </summary>
public sealed class KubernetesObjectClient : IObjectWriter
{
    /// <summary>The field manager writes carry unless the client is given another one.</summary>
    public const string DefaultFieldManager = "kuroku-operator";

    private readonly IKubernetes kubernetes;
    private readonly IApiMetrics metrics;
    private readonly TimeProvider time;
    private readonly IRequestThrottle throttle;

    public KubernetesObjectClient(IKubernetes kubernetes, IApiMetrics? metrics = null, TimeProvider? time = null, IRequestThrottle? throttle = null, string fieldManager = DefaultFieldManager)
    {
        this.kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        FieldManager = string.IsNullOrEmpty(fieldManager) ? throw new ArgumentException("a field manager is required", nameof(fieldManager)) : fieldManager;
        this.metrics = metrics ?? NoopApiMetrics.Instance;
        this.time = time ?? TimeProvider.System;
        this.throttle = throttle ?? RequestThrottle.None;
    }

    /// <summary>Who the API server records in managedFields for this client's writes.</summary>
    public string FieldManager { get; }

    public async Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceType.Of<T>();
        try
        {
            var result = await CallAsync("get", type.Resource, Describe(type, @namespace, name), () => @namespace is null
                ? kubernetes.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<T>(type.Group, type.Version, type.Plural, name, cancellationToken: cancellationToken)
                : kubernetes.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(type.Group, type.Version, @namespace, type.Plural, name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            type.Stamp(result);
            return result;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = ResourceType.Of<T>();
        type.Stamp(obj);
        var ns = NamespaceOf(obj, generatedNameAllowed: true);
        var result = await CallAsync("create", type.Resource, Describe(type, ns, obj.Metadata.Name ?? obj.Metadata.GenerateName + "*"), () => ns is null
            ? kubernetes.CustomObjects.CreateClusterCustomObjectWithHttpMessagesAsync<T>(obj, type.Group, type.Version, type.Plural, fieldManager: FieldManager, cancellationToken: cancellationToken)
            : kubernetes.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, type.Group, type.Version, ns, type.Plural, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        type.Stamp(result);
        return result;
    }

    public async Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = ResourceType.Of<T>();
        type.Stamp(obj);
        var ns = NamespaceOf(obj);
        var name = obj.Metadata.Name;
        var result = await CallAsync("update", type.Resource, Describe(type, ns, name), () => ns is null
            ? kubernetes.CustomObjects.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(obj, type.Group, type.Version, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)
            : kubernetes.CustomObjects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, type.Group, type.Version, ns, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        type.Stamp(result);
        return result;
    }

    public async Task<T> PatchAsync<T>(string? @namespace, string name, object mergePatch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        var type = ResourceType.Of<T>();
        var patch = new V1Patch(mergePatch, V1Patch.PatchType.MergePatch);
        var result = await CallAsync("patch", type.Resource, Describe(type, @namespace, name), () => @namespace is null
            ? kubernetes.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync<T>(patch, type.Group, type.Version, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)
            : kubernetes.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(patch, type.Group, type.Version, @namespace, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        type.Stamp(result);
        return result;
    }

    /// <summary>Sets the replicas of a namespaced object through its scale subresource, as an autoscaler does.</summary>
    public async Task PatchScaleAsync<T>(string @namespace, string name, int replicas, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceType.Of<T>();
        var patch = new V1Patch(new { spec = new { replicas } }, V1Patch.PatchType.MergePatch);
        await CallAsync("patch", type.Resource + "/scale", Describe(type, @namespace, name) + " scale", () =>
            kubernetes.CustomObjects.PatchNamespacedCustomObjectScaleWithHttpMessagesAsync<object>(patch, type.Group, type.Version, @namespace, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync<T>(string? @namespace, string name, string? uid, CancellationToken cancellationToken)
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
            await CallAsync("delete", type.Resource, Describe(type, @namespace, name), () => @namespace is null
                ? kubernetes.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync<object>(type.Group, type.Version, type.Plural, name, options, cancellationToken: cancellationToken)
                : kubernetes.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<object>(type.Group, type.Version, @namespace, type.Plural, name, options, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public async Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = ResourceType.Of<T>();
        type.Stamp(obj);
        var ns = NamespaceOf(obj);
        var name = obj.Metadata.Name;
        var result = await CallAsync("update", type.Resource + "/status", Describe(type, ns, name) + " status", () => ns is null
            ? kubernetes.CustomObjects.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(obj, type.Group, type.Version, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)
            : kubernetes.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(obj, type.Group, type.Version, ns, type.Plural, name, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        type.Stamp(result);
        return result;
    }

    internal static string Describe(ResourceType type, string? @namespace, string name) =>
        @namespace is null ? $"{type.Kind} {name}" : $"{type.Kind} {@namespace}/{name}";

    private static string? NamespaceOf(IKubernetesObject<V1ObjectMeta> obj, bool generatedNameAllowed = false)
    {
        if (obj.Metadata is null || (string.IsNullOrEmpty(obj.Metadata.Name) && !(generatedNameAllowed && !string.IsNullOrEmpty(obj.Metadata.GenerateName))))
        {
            throw new ArgumentException($"{obj.Kind ?? obj.GetType().Name} has no metadata.name.", nameof(obj));
        }

        return string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty;
    }

    private async Task<TResult> CallAsync<TResult>(string verb, string resource, string what, Func<Task<HttpOperationResponse<TResult>>> call)
    {
        await throttle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var code = 0;
        try
        {
            using var response = await call().ConfigureAwait(false);
            code = (int)response.Response.StatusCode;
            return response.Body;
        }
        catch (HttpOperationException e)
        {
            code = (int)(e.Response?.StatusCode ?? 0);
            throw ApiErrors.FromHttpOperation(e, verb, what);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException(ApiErrorReason.Unknown, 0, $"{verb} {what}: the API server could not be reached: {e.Message}", innerException: e);
        }
        finally
        {
            metrics.RequestCompleted(verb, resource, code, time.GetElapsedTime(started));
        }
    }
}
