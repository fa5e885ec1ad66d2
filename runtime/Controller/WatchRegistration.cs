using k8s;
using k8s.Models;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Queue;

namespace Kuroku.Runtime.Controller;

/// <summary>
/// One watched resource, what its cache keeps, and how its changes map to queue keys
/// (controller-runtime's For / Owns / Watches, with the cache options ByObject, TransformFunc,
/// Indexers and OnlyMetadata). Immutable: adjust the usual ones with <c>with</c>.
/// </summary>
public sealed record WatchRegistration
{
    public WatchRegistration(Type entityType, Func<V1ObjectMeta, IObjectReader, IEnumerable<ObjectKey>> map)
    {
        EntityType = entityType ?? throw new ArgumentNullException(nameof(entityType));
        Map = map ?? throw new ArgumentNullException(nameof(map));
        Resource = ResourceType.Of(entityType);
    }

    /// <summary>The KubernetesClient model (or custom resource) type.</summary>
    public Type EntityType { get; }

    public ResourceType Resource { get; }

    /// <summary>The queue keys a change of an object enqueues, from its metadata and the caches.</summary>
    public Func<V1ObjectMeta, IObjectReader, IEnumerable<ObjectKey>> Map { get; init; }

    /// <summary>Only objects with these labels are listed, watched and cached (the server filters).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Cache the metadata alone (PartialObjectMetadata), read with <see cref="IObjectReader.GetMetadata{T}"/>.</summary>
    public bool MetadataOnly { get; init; }

    /// <summary>What the cache keeps of each object; default <see cref="CacheTransforms.StripBookkeeping"/>.</summary>
    public CacheTransform? Transform { get; init; }

    /// <summary>Indexes beyond namespace and owner, read with <see cref="IObjectReader.ListByIndex{T}"/>.</summary>
    public IReadOnlyDictionary<string, IndexFunc>? Indexers { get; init; }

    /// <summary>Builds the informer for one leadership term, wires its handlers to the queue and its store to the reader.</summary>
    public Informer Build(Func<ListWatchTarget, IListWatchSource> sourceFactory, WorkQueue queue, CacheReader reader, TimeProvider time, ILogger logger, InformerOptions options, IndexValuePool? indexValues = null, SemaphoreSlim? listPages = null)
    {
        ArgumentNullException.ThrowIfNull(sourceFactory);
        ArgumentNullException.ThrowIfNull(reader);
        var target = new ListWatchTarget(Resource, null, LabelSelector, MetadataOnly);
        var transform = MetadataOnly
            ? CacheTransforms.IdentityOnly
            : Transform ?? CacheTransforms.StripBookkeeping;
        var informer = new Informer(Resource, sourceFactory(target), time, logger, options, transform, Indexers, indexValues: indexValues, listPages: listPages);
        informer.AddHandler(EnqueueHandler(queue, reader));
        reader.Attach(EntityType, MetadataOnly, informer.Store);
        return informer;
    }

    /// <summary>Handlers that enqueue the mapped keys of every added, updated (old and new) and deleted object.</summary>
    public ResourceEventHandler EnqueueHandler(WorkQueue queue, IObjectReader reader)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(reader);
        void Enqueue(V1ObjectMeta metadata)
        {
            foreach (var key in Map(metadata, reader))
            {
                queue.Add(key.ToString());
            }
        }

        return new ResourceEventHandler
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
    public static WatchRegistration For<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(typeof(T), (metadata, _) => [KeyOf(metadata)]);

    /// <summary>A child type: a change enqueues the key of its controller owner of type <typeparamref name="TOwner"/>.</summary>
    public static WatchRegistration Owns<T, TOwner>()
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TOwner : class, IKubernetesObject<V1ObjectMeta>
    {
        var owner = ResourceType.Of<TOwner>();
        return new(typeof(T), (metadata, _) => OwnerKeys.ControllerOwner(metadata, owner.Group, owner.Kind) is { } key ? [key] : []);
    }

    /// <summary>Any other type, mapped to keys by a function of the object's metadata and the caches.</summary>
    public static WatchRegistration Map<T>(Func<V1ObjectMeta, IObjectReader, IEnumerable<ObjectKey>> map)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(typeof(T), map);

    /// <summary>The key of the object a metadata belongs to.</summary>
    public static ObjectKey KeyOf(V1ObjectMeta metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new ObjectKey(string.IsNullOrEmpty(metadata.NamespaceProperty) ? null : metadata.NamespaceProperty, metadata.Name ?? "");
    }
}
