using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation;
using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Models;
using CoreEventType = Kuroku.Operator.Reconciliation.EventType;
using RuntimeEventRecorder = Kuroku.Runtime.Abstractions.IEventRecorder;

namespace Kuroku.Operator.Hosting.Adapters;

/// <summary>
/// The reconcile core's ports (<see cref="IClusterReader"/>, <see cref="IClusterWriter"/>,
/// <see cref="Reconciliation.IEventRecorder"/>) on the runtime: reads from the informer caches, writes
/// through the HTTP client, API failures translated into the core's <see cref="ApiException"/>.
/// </summary>
public sealed class ReconcilerPorts(IObjectReader cache, IObjectWriter client, RuntimeEventRecorder recorder)
    : IClusterReader, IClusterWriter, Reconciliation.IEventRecorder
{
    public WebApp? GetWebApp(string @namespace, string name) => cache.Get<WebApp>(@namespace, name);

    public T? Get<T>(string @namespace, string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        cache.Get<T>(@namespace, name);

    public IReadOnlyList<T> ListOwned<T>(string @namespace, string ownerUid) where T : class, IKubernetesObject<V1ObjectMeta> =>
        cache.ListOwnedBy<T>(ownerUid).Where(o => o.Metadata.NamespaceProperty == @namespace).ToList();

    public Task<T?> GetFreshAsync<T>(string @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Translate(() => client.GetAsync<T>(@namespace, name, cancellationToken));

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Translate(() => client.CreateAsync(obj, cancellationToken));

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Translate(() => client.ReplaceAsync(obj, cancellationToken));

    public async Task DeleteAsync<T>(string @namespace, string name, string uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (!await Translate(() => client.DeleteAsync<T>(@namespace, name, uid, cancellationToken)))
        {
            throw new ApiException(ApiFailure.NotFound, 404, $"{typeof(T).Name} {@namespace}/{name} not found");
        }
    }

    public Task<WebApp> UpdateStatusAsync(WebApp app, CancellationToken cancellationToken) =>
        Translate(() => client.ReplaceStatusAsync(app, cancellationToken));

    public void Record(WebApp app, CoreEventType type, string reason, string message) =>
        recorder.Record(app, type == CoreEventType.Warning ? Runtime.Abstractions.EventType.Warning : Runtime.Abstractions.EventType.Normal, reason, message);

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (KubernetesApiException e)
        {
            var failure = e.Reason switch
            {
                ApiErrorReason.NotFound => ApiFailure.NotFound,
                ApiErrorReason.Conflict => ApiFailure.Conflict,
                ApiErrorReason.AlreadyExists => ApiFailure.AlreadyExists,
                ApiErrorReason.Invalid => ApiFailure.Invalid,
                ApiErrorReason.Forbidden => ApiFailure.Forbidden,
                ApiErrorReason.Gone => ApiFailure.Gone,
                _ => ApiFailure.Other,
            };
            throw new ApiException(failure, (int)e.StatusCode, e.Message, e);
        }
    }
}
