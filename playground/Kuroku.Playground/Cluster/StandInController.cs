using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Informers;

namespace Kuroku.Playground.Cluster;

/// <summary>
/// One stand-in controller: what it watches and how it reconciles a key, level-triggered, from its own caches
/// (list + watch through the API, as kube-controller-manager's controllers and the kubelet do). A write that
/// meets a newer object (Conflict), a vanished one (NotFound) or a namesake (AlreadyExists) is not an error
/// here: the key is looked at again, with backoff, once the cache has caught up.
/// </summary>
public abstract class StandInController(CacheReader cache, KubernetesObjectClient client, SimulationOptions options, ILoggerFactory loggers) : IReconciler
{
    private ILogger? logger;

    /// <summary>The name of the component it stands in for, in logs.</summary>
    public abstract string Name { get; }

    /// <summary>The resources it watches; the first one is its primary (its keys are reconciled).</summary>
    public abstract IReadOnlyList<WatchRegistration> Watches { get; }

    protected CacheReader Cache { get; } = cache;

    protected KubernetesObjectClient Client { get; } = client;

    protected SimulationOptions Options { get; } = options;

    /// <summary>Logs under the component's name.</summary>
    protected ILogger Logger => logger ??= loggers.CreateLogger(Name);

    protected DateTime Now => Options.Time.GetUtcNow().UtcDateTime;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await SyncAsync(key, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound || e.IsAlreadyExists)
        {
            Logger.LogDebug("{Key}: {Message}; looking again", key, e.Message);
            return ReconcileResult.RequeueWithBackoff();
        }
    }

    protected abstract Task<ReconcileResult> SyncAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Look again when <paramref name="due"/> comes (at once when it has passed).</summary>
    protected ReconcileResult At(DateTime due)
    {
        var wait = due - Now;
        return ReconcileResult.After(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1));
    }
}
