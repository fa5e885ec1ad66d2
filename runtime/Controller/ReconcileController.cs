using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Queue;

namespace Kuroku.Runtime.Controller;

public sealed record ControllerOptions
{
    /// <summary>How many keys are reconciled at once (never the same key twice).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>How long in-flight reconciles may run on shutdown before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Workers that take keys from the queue and reconcile them (controller-runtime's internal
/// controller). Each outcome maps to exactly one queue action (<see cref="ReconcileOutcomes"/>).
/// </summary>
public sealed class ReconcileController
{
    private readonly string name;
    private readonly WorkQueue queue;
    private readonly IReconciler reconciler;
    private readonly ControllerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IControllerMetrics metrics;
    private int active;

    public ReconcileController(string name, WorkQueue queue, IReconciler reconciler, ControllerOptions options, TimeProvider time, ILogger logger, IControllerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        this.name = name;
        this.queue = queue ?? throw new ArgumentNullException(nameof(queue));
        this.reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        this.options = options;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.metrics = metrics ?? NoopControllerMetrics.Instance;
    }

    /// <summary>
    /// Runs the workers until <paramref name="stoppingToken"/> fires; then stops taking keys, lets
    /// in-flight reconciles finish within <see cref="ControllerOptions.ShutdownTimeout"/>, and cancels
    /// what is still running.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var reconcileCts = new CancellationTokenSource();
        var workers = Enumerable.Range(0, options.Workers)
            .Select(_ => Task.Run(() => WorkerAsync(reconcileCts.Token), CancellationToken.None))
            .ToArray();

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        logger.LogInformation("Controller {Controller} stopping; waiting up to {Timeout} for in-flight reconciles", name, options.ShutdownTimeout);
        if (!await queue.ShutDownWithDrainAsync(options.ShutdownTimeout, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogWarning("Controller {Controller}: reconciles still running after {Timeout}; cancelling them", name, options.ShutdownTimeout);
        }

        await reconcileCts.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (await queue.GetAsync(CancellationToken.None).ConfigureAwait(false) is { } key)
        {
            try
            {
                await ProcessAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    /// <summary>Reconciles one key and applies the one queue action its outcome calls for.</summary>
    public async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        ReconcileResult? result = null;
        Exception? error = null;
        var started = time.GetTimestamp();
        metrics.ActiveWorkersChanged(name, Interlocked.Increment(ref active));
        try
        {
            result = await reconciler.ReconcileAsync(ObjectKey.Parse(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            metrics.ActiveWorkersChanged(name, Interlocked.Decrement(ref active));
        }

        var duration = time.GetElapsedTime(started);
        var action = ReconcileOutcomes.Decide(result, error, cancellationToken.IsCancellationRequested || queue.IsShuttingDown);
        switch (action.Kind)
        {
            case QueueActionKind.Forget:
                queue.Forget(key);
                metrics.Reconciled(name, "success", duration);
                break;
            case QueueActionKind.ForgetAndAddAfter:
                queue.Forget(key);
                queue.AddAfter(key, action.Delay);
                metrics.Reconciled(name, "requeue_after", duration);
                break;
            case QueueActionKind.AddRateLimited:
                queue.AddRateLimited(key);
                if (error is null)
                {
                    metrics.Reconciled(name, "requeue", duration);
                }
                else
                {
                    logger.LogError(error, "Reconcile of {Key} failed (attempt {Attempt}); retrying with backoff", key, queue.NumRequeues(key));
                    metrics.Reconciled(name, "error", duration);
                }

                break;
            case QueueActionKind.ForgetTerminal:
                queue.Forget(key);
                logger.LogError(error, "Reconcile of {Key} failed for good; not retrying until it changes", key);
                metrics.Reconciled(name, "terminal_error", duration);
                break;
            default:
                metrics.Reconciled(name, "cancelled", duration);
                break;
        }
    }
}
