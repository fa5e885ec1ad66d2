namespace Kuroku.Runtime.Abstractions;

/// <summary>
/// Makes the world match the spec of the object named by a key (controller-runtime's
/// <c>reconcile.Reconciler</c>). Level-triggered: reads the current state from the cache, whatever
/// event caused the call; must be idempotent and safe to run twice. The runtime never runs two
/// reconciles of the same key at once.
/// </summary>
public interface IReconciler
{
    /// <summary>
    /// Reconciles one object. Return <see cref="ReconcileResult.Done"/> when the world matches,
    /// <see cref="ReconcileResult.After"/> to look again later. Throw to retry with backoff (a
    /// <see cref="KubernetesApiException"/> with reason Conflict is the usual case: read fresh state
    /// and try again); throw <see cref="TerminalReconcileException"/> for an error that retrying cannot
    /// fix (it is logged and counted, not retried until the object changes).
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

/// <summary>What a reconcile asks of the queue when it did not throw.</summary>
public readonly record struct ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter, bool requeue)
    {
        RequeueAfter = requeueAfter;
        Requeue = requeue;
    }

    /// <summary>Nothing more to do until something changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Look again after this delay (for example while a rollout progresses).</summary>
    public TimeSpan? RequeueAfter { get; }

    /// <summary>Look again soon, with the rate limiter's backoff.</summary>
    public bool Requeue { get; }

    public static ReconcileResult After(TimeSpan delay) => new(delay, false);

    public static ReconcileResult RequeueWithBackoff() => new(null, true);
}

/// <summary>A reconcile error that retrying will not fix (for example a spec the operator cannot apply).</summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException()
    {
    }

    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
