using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Queue;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Controller;

/// <summary>
/// One watched type and how its changes map to queue keys (controller-runtime's For / Owns / Watches).
/// </summary>
public abstract class WatchRegistration
{
    public abstract Type EntityType { get; }

    /// <summary>Builds the informer for one leadership term, wires its handlers to the queue and its store to the reader.</summary>
    public abstract IInformer Build(Func<Type, object> sourceFactory, WorkQueue queue, CacheReader reader, TimeProvider time, ILogger logger, InformerOptions options);
}

/// <summary>
/// A watched type whose changes enqueue the keys <see cref="Map"/> returns; the map may read the
/// caches (for example to find the primary objects that refer to a changed one).
/// </summary>
public sealed class WatchRegistration<T>(Func<T, IObjectReader, IEnumerable<ObjectKey>> map) : WatchRegistration
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override Type EntityType => typeof(T);

    public Func<T, IObjectReader, IEnumerable<ObjectKey>> Map { get; } = map ?? throw new ArgumentNullException(nameof(map));

    public override IInformer Build(Func<Type, object> sourceFactory, WorkQueue queue, CacheReader reader, TimeProvider time, ILogger logger, InformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(sourceFactory);
        ArgumentNullException.ThrowIfNull(reader);
        var informer = new Informer<T>((IListWatchSource<T>)sourceFactory(typeof(T)), time, logger, options);
        informer.AddHandler(EnqueueHandler(queue, reader));
        reader.Attach(informer.Store);
        return informer;
    }

    /// <summary>Handlers that enqueue the mapped keys of every added, updated (old and new) and deleted object.</summary>
    public ResourceEventHandler<T> EnqueueHandler(WorkQueue queue, IObjectReader reader)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(reader);
        void Enqueue(T obj)
        {
            foreach (var key in Map(obj, reader))
            {
                queue.Add(key.ToString());
            }
        }

        return new ResourceEventHandler<T>
        {
            OnAdd = Enqueue,
            OnUpdate = (old, current) =>
            {
                Enqueue(old);
                Enqueue(current);
            },
            OnDelete = Enqueue,
        };
    }
}

/// <summary>The usual mappings.</summary>
public static class Watches
{
    /// <summary>The primary type: a change enqueues the object's own key.</summary>
    public static WatchRegistration<T> For<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new((obj, _) => [ObjectKey.Of(obj)]);

    /// <summary>A child type: a change enqueues the key of its controller owner of type <typeparamref name="TOwner"/>.</summary>
    public static WatchRegistration<T> Owns<T, TOwner>()
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TOwner : class, IKubernetesObject<V1ObjectMeta>
    {
        var owner = Client.ResourceType.Of<TOwner>();
        return new((obj, _) => OwnerKeys.ControllerOwner(obj.Metadata, owner.Group, owner.Kind) is { } key ? [key] : []);
    }

    /// <summary>Any other type, mapped to keys by a function of the object and the caches.</summary>
    public static WatchRegistration<T> Map<T>(Func<T, IObjectReader, IEnumerable<ObjectKey>> map)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(map);
}
