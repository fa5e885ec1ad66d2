using System.Text.Json.Nodes;
using k8s;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;

namespace Kuroku.Runtime.Informers;

/// <summary>An informer whatever its resource: run it, ask whether it synced.</summary>
public interface IInformer
{
    ResourceType Resource { get; }

    /// <summary>True once the first list has filled the cache.</summary>
    bool HasSynced { get; }

    /// <summary>Lists and watches until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the cache has synced; false if cancelled first.</summary>
    Task<bool> WaitForSyncAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A reflector and its cache for one resource (client-go's shared informer): list page by page, then
/// watch from the list's resourceVersion with bookmarks; a bookmark moves the resourceVersion on; on
/// 410 Gone or a broken stream, list again (the cache is replaced and handlers see the differences)
/// after a capped, jittered backoff; a watch silent for longer than its timeout plus a grace is
/// restarted. Every object passes the transform before the cache keeps it, as compact JSON. Handlers
/// run on the informer's loop, one event at a time; keep them cheap (enqueue).
/// </summary>
public sealed class Informer : IInformer
{
    private readonly IListWatchSource source;
    private readonly CacheTransform transform;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly InformerOptions options;
    private readonly Random random;
    private readonly List<ResourceEventHandler> handlers = [];
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string lastResourceVersion = "";
    private readonly SemaphoreSlim? listPages;

    /// <param name="resource">What is listed and watched (for logs and metrics).</param>
    /// <param name="source">The list-watch source.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where list-watch trouble is logged.</param>
    /// <param name="options">Timings and metrics.</param>
    /// <param name="transform">What the cache keeps of each object; default <see cref="CacheTransforms.StripBookkeeping"/>.</param>
    /// <param name="indexers">Indexes beyond namespace and owner.</param>
    /// <param name="random">Jitter source (tests fix it).</param>
    /// <param name="indexValues">Index values shared with the other informers of the same term; default: the store's own.</param>
    /// <param name="listPages">Shared with the other informers of the same term: one slot per page being listed; default: no limit.</param>
    public Informer(
        ResourceType resource,
        IListWatchSource source,
        TimeProvider time,
        ILogger logger,
        InformerOptions? options = null,
        CacheTransform? transform = null,
        IReadOnlyDictionary<string, IndexFunc>? indexers = null,
        Random? random = null,
        IndexValuePool? indexValues = null,
        SemaphoreSlim? listPages = null)
    {
        this.listPages = listPages;
        Resource = resource ?? throw new ArgumentNullException(nameof(resource));
        this.source = source ?? throw new ArgumentNullException(nameof(source));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.options = options ?? new InformerOptions();
        this.transform = transform ?? CacheTransforms.StripBookkeeping;
        this.random = random ?? Random.Shared;
        Store = new ObjectStore(indexers, indexValues);
    }

    public ResourceType Resource { get; }

    public ObjectStore Store { get; }

    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string LastResourceVersion => lastResourceVersion;

    /// <summary>Adds a handler; add handlers before <see cref="RunAsync"/>.</summary>
    public void AddHandler(ResourceEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (handlers)
        {
            handlers.Add(handler);
        }
    }

    public async Task<bool> WaitForSyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await synced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (entries, resourceVersion) = await ListAsync(cancellationToken).ConfigureAwait(false);
                Dispatch(Store.Replace(entries));
                lastResourceVersion = resourceVersion;
                synced.TrySetResult();
                attempt = 0;
                logger.LogDebug("Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}", Resource.Resource, entries.Count, resourceVersion);

                await WatchUntilGoneAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = ReconnectBackoff.Delay(attempt++, options.InitialBackoff, options.MaxBackoff, random.NextDouble());
                logger.LogWarning(e, "List-watch of {Resource} failed; listing again in {Delay}", Resource.Resource, delay);
                options.Metrics.WatchRestarted(Resource.Resource, "error");
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Lists every page, turning each page's objects into cache entries before the next page is asked for,
    // so no more than one page of full objects is in memory at a time. A continue token that expired
    // mid-way (410) starts the list again, as client-go's pager does.
    private async Task<(List<CacheEntry> Entries, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        for (var restart = 0; ; restart++)
        {
            var entries = new List<CacheEntry>();
            string? continueToken = null;
            string resourceVersion;
            try
            {
                do
                {
                    if (listPages is not null)
                    {
                        await listPages.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    try
                    {
                        using var page = await source.ListAsync(continueToken, cancellationToken).ConfigureAwait(false);
                        entries.AddRange(page.Items.Select(item => Store.Entry(transform(item))));
                        resourceVersion = page.ResourceVersion;
                        continueToken = page.Continue;
                    }
                    finally
                    {
                        listPages?.Release();
                    }
                }
                while (!string.IsNullOrEmpty(continueToken));
            }
            catch (KubernetesApiException e) when (e.IsGone && continueToken is not null && restart < 3)
            {
                logger.LogInformation("The list of {Resource} expired between pages; listing again", Resource.Resource);
                continue;
            }

            return (entries, resourceVersion);
        }
    }

    // Watches from the last resourceVersion, again and again, until the server says it is too old.
    private async Task WatchUntilGoneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var timeout = options.WatchTimeout * (1 + random.NextDouble());
            var silence = timeout + options.InactivityGrace;
            using var inactivity = new CancellationTokenSource(silence, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, inactivity.Token);
            try
            {
                await foreach (var evt in source.WatchAsync(lastResourceVersion, timeout, linked.Token).ConfigureAwait(false))
                {
                    inactivity.CancelAfter(silence);
                    if (!Apply(evt))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (inactivity.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Watch of {Resource} was silent for {Silence}; restarting it", Resource.Resource, silence);
                options.Metrics.WatchRestarted(Resource.Resource, "silent");
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                logger.LogInformation("Watch of {Resource} from resourceVersion {ResourceVersion} is gone; listing again", Resource.Resource, lastResourceVersion);
                options.Metrics.WatchRestarted(Resource.Resource, "gone");
                return;
            }
        }
    }

    // Applies one watch event; false when the watch must end and the informer list again.
    private bool Apply(WatchEvent evt)
    {
        switch (evt.Type)
        {
            case WatchEventType.Error:
                if (evt.Status?.Code == 410 || ApiErrors.Classify(evt.Status?.Code ?? 0, evt.Status?.Reason) == ApiErrorReason.Gone)
                {
                    logger.LogInformation("Watch of {Resource} from resourceVersion {ResourceVersion} expired; listing again", Resource.Resource, lastResourceVersion);
                    options.Metrics.WatchRestarted(Resource.Resource, "expired");
                    return false;
                }

                throw ApiErrors.FromStatus(evt.Status?.Code ?? 500, evt.Status, "watch", Resource.Resource);
            case WatchEventType.Bookmark:
                break;
            case WatchEventType.Added or WatchEventType.Modified when evt.Object is { } obj:
                Dispatch([Store.Upsert(Store.Entry(transform(obj)))]);
                break;
            case WatchEventType.Deleted when evt.Object is { } obj:
                var entry = Store.Entry(transform(obj));
                Dispatch([new StoreChange(WatchEventType.Deleted, Store.Delete(entry.Key) ?? entry, null)]);
                break;
            default:
                break;
        }

        if (evt.Object?["metadata"]?["resourceVersion"] is JsonValue rv && rv.GetValue<string>() is { Length: > 0 } version)
        {
            lastResourceVersion = version;
        }

        return true;
    }

    private void Dispatch(IReadOnlyList<StoreChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        ResourceEventHandler[] snapshot;
        lock (handlers)
        {
            snapshot = [.. handlers];
        }

        if (snapshot.Length == 0)
        {
            return;
        }

        foreach (var change in changes)
        {
            var old = change.Old is { } o ? o.Read(CacheJson.MetadataOf) : null;
            var current = change.New is { } n ? n.Read(CacheJson.MetadataOf) : null;
            foreach (var handler in snapshot)
            {
                try
                {
                    switch (change.Type)
                    {
                        case WatchEventType.Added:
                            handler.OnAdd?.Invoke(current!);
                            break;
                        case WatchEventType.Modified:
                            handler.OnUpdate?.Invoke(old!, current!);
                            break;
                        case WatchEventType.Deleted:
                            handler.OnDelete?.Invoke(old!);
                            break;
                        default:
                            break;
                    }
                }
                catch (Exception e)
                {
                    logger.LogError(e, "An event handler of {Resource} failed", Resource.Resource);
                }
            }
        }
    }
}
