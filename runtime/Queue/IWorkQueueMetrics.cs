namespace Kuroku.Runtime.Queue;

/// <summary>
/// Hooks a metrics provider implements to observe a work queue (client-go's
/// <c>workqueue.MetricsProvider</c>). Called outside the queue's lock; must be cheap and thread-safe.
/// </summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key was added (not counted when it collapsed into one already waiting).</summary>
    void Added(string queue);

    /// <summary>The number of keys waiting to be handed out changed.</summary>
    void DepthChanged(string queue, int depth);

    /// <summary>A key was handed to a worker after waiting this long in the queue.</summary>
    void Waited(string queue, TimeSpan wait);

    /// <summary>A worker finished a key after holding it this long.</summary>
    void Processed(string queue, TimeSpan duration);

    /// <summary>A key was requeued through the rate limiter.</summary>
    void Retried(string queue);
}

/// <summary>Metrics that go nowhere.</summary>
public sealed class NoopWorkQueueMetrics : IWorkQueueMetrics
{
    public static readonly NoopWorkQueueMetrics Instance = new();

    public void Added(string queue)
    {
    }

    public void DepthChanged(string queue, int depth)
    {
    }

    public void Waited(string queue, TimeSpan wait)
    {
    }

    public void Processed(string queue, TimeSpan duration)
    {
    }

    public void Retried(string queue)
    {
    }
}
