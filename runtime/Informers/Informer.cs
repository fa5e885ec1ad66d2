using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>An informer whatever its type: run it, ask whether it synced.</summary>
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
/// A reflector and its cache for one resource type (client-go's shared informer): list, then watch
/// from the list's resourceVersion with bookmarks; a bookmark moves the resourceVersion on; on
/// 410 Gone or a broken stream, list again (the cache is replaced and handlers see the differences)
/// after a capped, jittered backoff; a watch silent for longer than its timeout plus a grace is
/// restarted. Handlers run on the informer's loop, one event at a time; keep them cheap (enqueue).
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IListWatchSource<T> source;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly InformerOptions options;
    private readonly Random random;
    private readonly List<ResourceEventHandler<T>> handlers = [];
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string lastResourceVersion = "";

    public Informer(IListWatchSource<T> source, TimeProvider time, ILogger logger, InformerOptions? options = null, Random? random = null)
    {
        this.source = source ?? throw new ArgumentNullException(nameof(source));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.options = options ?? new InformerOptions();
        this.random = random ?? Random.Shared;
    }

    public ResourceType Resource { get; } = ResourceType.Of<T>();

    public ObjectStore<T> Store { get; } = new();

    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string LastResourceVersion => lastResourceVersion;

    /// <summary>Adds a handler; add handlers before <see cref="RunAsync"/>.</summary>
    public void AddHandler(ResourceEventHandler<T> handler)
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
                var list = await source.ListAsync(cancellationToken).ConfigureAwait(false);
                Dispatch(Store.Replace(list.Items));
                lastResourceVersion = list.ResourceVersion;
                synced.TrySetResult();
                attempt = 0;
                logger.LogDebug("Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}", Resource.Resource, list.Items.Count, list.ResourceVersion);

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
    private bool Apply(WatchEvent<T> evt)
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
                Dispatch([Store.Upsert(obj)]);
                break;
            case WatchEventType.Deleted when evt.Object is { } obj:
                var last = Store.Delete(obj) ?? obj;
                Dispatch([new StoreChange<T>(WatchEventType.Deleted, last, null)]);
                break;
            default:
                break;
        }

        if (evt.Object?.Metadata?.ResourceVersion is { Length: > 0 } rv)
        {
            lastResourceVersion = rv;
        }

        return true;
    }

    private void Dispatch(IReadOnlyList<StoreChange<T>> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        ResourceEventHandler<T>[] snapshot;
        lock (handlers)
        {
            snapshot = [.. handlers];
        }

        foreach (var change in changes)
        {
            foreach (var handler in snapshot)
            {
                try
                {
                    switch (change.Type)
                    {
                        case WatchEventType.Added:
                            handler.OnAdd?.Invoke(change.New!);
                            break;
                        case WatchEventType.Modified:
                            handler.OnUpdate?.Invoke(change.Old!, change.New!);
                            break;
                        case WatchEventType.Deleted:
                            handler.OnDelete?.Invoke(change.Old!);
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
