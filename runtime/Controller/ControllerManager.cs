using System.Runtime;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.Queue;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Controller;

public sealed record ControllerManagerOptions
{
    public string Name { get; init; } = "webapp";

    /// <summary>Watch this namespace only; null watches the whole cluster.</summary>
    public string? Namespace { get; init; }

    /// <summary>Every primary object is enqueued this often, changed or not; zero or less turns it off.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    public ControllerOptions Controller { get; init; } = new();

    public InformerOptions Informers { get; init; } = new();

    /// <summary>Full collections paced by the garbage in the oldest generations.</summary>
    public CachePacedCollectionOptions Collection { get; init; } = new();
}

/// <summary>
/// Runs one controller for a leadership term: builds the informers of the primary type and its
/// watched types, waits until every cache has synced, then runs the workers and the periodic
/// resync; on stop, drains the workers first and stops the informers last.
/// </summary>
public sealed class ControllerManager<TPrimary> : IControllerRunner
    where TPrimary : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Func<ListWatchTarget, IListWatchSource> sourceFactory;
    private readonly IReconciler reconciler;
    private readonly CacheReader reader;
    private readonly ControllerManagerOptions options;
    private readonly IReadOnlyList<WatchRegistration> watches;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly IWorkQueueMetrics? queueMetrics;
    private readonly IControllerMetrics? controllerMetrics;
    private volatile bool running;

    /// <param name="sourceFactory">Makes the list-watch source of a resource (the namespace is set from the options).</param>
    /// <param name="reconciler">Reconciles keys of the primary type.</param>
    /// <param name="reader">The read port the reconciler uses; re-attached to fresh stores every run.</param>
    /// <param name="options">Names, namespace, resync and worker settings.</param>
    /// <param name="owned">
    /// Watched types besides the primary one (usually <see cref="Watches.Owns{T, TOwner}"/>); a registration
    /// of the primary type itself (for its transform or indexers) replaces the default <see cref="Watches.For{T}"/>.
    /// </param>
    /// <param name="time">The clock.</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="queueMetrics">Work queue hooks.</param>
    /// <param name="controllerMetrics">Reconcile hooks.</param>
    public ControllerManager(
        Func<ListWatchTarget, IListWatchSource> sourceFactory,
        IReconciler reconciler,
        CacheReader reader,
        ControllerManagerOptions options,
        IEnumerable<WatchRegistration> owned,
        TimeProvider time,
        ILoggerFactory loggers,
        IWorkQueueMetrics? queueMetrics = null,
        IControllerMetrics? controllerMetrics = null)
    {
        this.sourceFactory = sourceFactory ?? throw new ArgumentNullException(nameof(sourceFactory));
        this.reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        this.reader = reader ?? throw new ArgumentNullException(nameof(reader));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        this.queueMetrics = queueMetrics;
        this.controllerMetrics = controllerMetrics;
        var all = (owned ?? []).ToList();
        var primary = all.FirstOrDefault(w => w.EntityType == typeof(TPrimary) && !w.MetadataOnly) ?? Watches.For<TPrimary>();
        watches = [primary, .. all.Where(w => w != primary)];
    }

    /// <summary>True while the workers run (after the caches synced); for readiness and metrics.</summary>
    public bool IsRunning => running;

    /// <summary>The work queue of the current term (null between terms); exposed for metrics.</summary>
    public WorkQueue? Queue { get; private set; }

    /// <summary>Runs until cancelled. Call again for a new term; each run builds fresh caches.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("Kuroku.Runtime.Controller." + options.Name);
        using var queue = new WorkQueue(options.Name, time, RateLimiters.DefaultController(time), queueMetrics);
        Queue = queue;
        reader.Reset();
        var indexValues = new IndexValuePool();     // shared by this term's stores, dropped with them
        using var listPages = new SemaphoreSlim(Math.Max(1, options.Informers.ConcurrentListPages));
        var informers = watches.Select(w => w.Build(
            target => sourceFactory(target with { Namespace = options.Namespace }),
            queue,
            reader,
            time,
            loggers.CreateLogger("Kuroku.Runtime.Informers." + w.EntityType.Name + (w.MetadataOnly ? "Metadata" : "")),
            options.Informers,
            indexValues,
            listPages)).ToList();

        using var informersCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var informerTasks = informers.Select(i => Task.Run(() => i.RunAsync(informersCts.Token), CancellationToken.None)).ToList();
        try
        {
            logger.LogInformation("Controller {Controller} waiting for {Count} caches to sync", options.Name, informers.Count);
            foreach (var informer in informers)
            {
                if (!await informer.WaitForSyncAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            logger.LogInformation("Caches synced; controller {Controller} starts {Workers} workers", options.Name, options.Controller.Workers);

            // The initial lists are the largest burst of garbage a controller makes, and it has just
            // survived into the oldest generation with the cache it built; one compacting collection
            // now returns it before the first reconciles add theirs on top.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var controller = new ReconcileController(options.Name, queue, reconciler, options.Controller, time, logger, controllerMetrics);
            var resync = ResyncAsync(queue, informers[0].Store, stoppingToken);
            var collections = CollectAsync([.. informers.Select(i => i.Store)], logger, stoppingToken);
            running = true;
            await controller.RunAsync(stoppingToken).ConfigureAwait(false);
            await resync.ConfigureAwait(false);
            await collections.ConfigureAwait(false);
        }
        finally
        {
            running = false;
            await informersCts.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informerTasks).ConfigureAwait(false);
            Queue = null;
            logger.LogInformation("Controller {Controller} stopped", options.Name);
        }
    }

    // Asks for a full compacting collection when the oldest generations hold enough garbage (CachePacedCollection).
    private async Task CollectAsync(IReadOnlyList<ObjectStore> stores, ILogger logger, CancellationToken stoppingToken)
    {
        if (options.Collection.GarbageFraction <= 0)
        {
            return;
        }

        var pacing = new CachePacedCollection(options.Collection);
        HeapReading Read()
        {
            var generations = GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo;
            return new HeapReading(
                stores.Sum(s => s.ReleasedBytes),
                stores.Sum(s => s.HeldBytes),
                generations[2].SizeAfterBytes + generations[3].SizeAfterBytes,
                GC.CollectionCount(GC.MaxGeneration));
        }

        using var timer = new PeriodicTimer(options.Collection.CheckEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var before = Read();
                if (!pacing.ShouldCollect(before, time.GetUtcNow()))
                {
                    continue;
                }

                var garbage = pacing.GarbageSince(before);
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var after = Read();
                pacing.Collected(after, time.GetUtcNow());
                logger.LogDebug(
                    "Full collection for an estimated {Garbage} bytes of garbage (caches hold {Held}): oldest generations {Before} -> {After} bytes",
                    garbage, before.Held, before.OldGenerations, after.OldGenerations);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Enqueues every cached primary object each resync period.
    private async Task ResyncAsync(WorkQueue queue, ObjectStore primaries, CancellationToken stoppingToken)
    {
        if (options.ResyncPeriod <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.ResyncPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var entry in primaries.List())
                {
                    queue.Add(entry.Key);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
