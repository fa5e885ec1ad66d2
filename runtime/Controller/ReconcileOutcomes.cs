using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Controller;

/// <summary>What the queue does with a key after a reconcile.</summary>
public enum QueueActionKind
{
    /// <summary>Success: forget the key's failures.</summary>
    Forget,

    /// <summary>Look again later: forget failures, add after the delay.</summary>
    ForgetAndAddAfter,

    /// <summary>Error (or an explicit requeue): add again with the rate limiter's backoff.</summary>
    AddRateLimited,

    /// <summary>Terminal error: forget, log and count; do not retry until the object changes.</summary>
    ForgetTerminal,

    /// <summary>Cancelled by shutdown: leave the key alone.</summary>
    None,
}

public readonly record struct QueueAction(QueueActionKind Kind, TimeSpan Delay = default);

/// <summary>One outcome, one queue action (controller-runtime's <c>reconcileHandler</c>), as a pure function.</summary>
public static class ReconcileOutcomes
{
    public static QueueAction Decide(ReconcileResult? result, Exception? error, bool stopping)
    {
        if (error is not null)
        {
            return error switch
            {
                OperationCanceledException when stopping => new QueueAction(QueueActionKind.None),
                TerminalReconcileException => new QueueAction(QueueActionKind.ForgetTerminal),
                _ => new QueueAction(QueueActionKind.AddRateLimited),
            };
        }

        var value = result ?? ReconcileResult.Done;
        if (value.RequeueAfter is { } delay && delay > TimeSpan.Zero)
        {
            return new QueueAction(QueueActionKind.ForgetAndAddAfter, delay);
        }

        return value.Requeue || value.RequeueAfter is not null
            ? new QueueAction(QueueActionKind.AddRateLimited)
            : new QueueAction(QueueActionKind.Forget);
    }
}
