using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// What an informer tells its handlers (client-go's <c>ResourceEventHandlerFuncs</c>): the metadata of
/// the objects, which is all a handler needs to map a change to queue keys. The objects themselves are
/// in the cache.
/// </summary>
public sealed class ResourceEventHandler
{
    public Action<V1ObjectMeta>? OnAdd { get; init; }

    /// <summary>Old state, new state.</summary>
    public Action<V1ObjectMeta, V1ObjectMeta>? OnUpdate { get; init; }

    /// <summary>The last state the cache knew.</summary>
    public Action<V1ObjectMeta>? OnDelete { get; init; }
}
