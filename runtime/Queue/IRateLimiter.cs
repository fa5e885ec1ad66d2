namespace Kuroku.Runtime.Queue;

/// <summary>
/// Decides how long an item waits before it is retried, as client-go's <c>workqueue.TypedRateLimiter</c>.
/// </summary>
public interface IRateLimiter
{
    /// <summary>How long to wait before the item may be processed again; records one more requeue.</summary>
    TimeSpan When(string item);

    /// <summary>Stops tracking the item: the next failure starts from the smallest delay again.</summary>
    void Forget(string item);

    /// <summary>How many times the item has been requeued since it was last forgotten.</summary>
    int NumRequeues(string item);
}
