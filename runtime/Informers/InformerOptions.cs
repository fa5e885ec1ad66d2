namespace Kuroku.Runtime.Informers;

/// <summary>Timings of the list-watch loop (defaults after client-go's reflector).</summary>
public sealed record InformerOptions
{
    /// <summary>The server ends each watch after this long, stretched by a random 0-100% so watches don't restart together.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that delivers nothing (not even a bookmark) for this long past its timeout is restarted.</summary>
    public TimeSpan InactivityGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after a failed list or a broken watch.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many list pages the informers of one controller fetch and turn into cache entries at the same time.
    /// A page of full objects is megabytes of JSON with its parsed index and trees while it is read; at a
    /// start over a fleet every informer lists at once, and that, not the cache, made the start's peak.
    /// Measured on a restart over 10,000 apps (scale benchmark, two runs each): peak RSS 267-294 MiB with
    /// no limit, 252-261 with two pages, 245-249 with one; caches synced after 10-12, 11.5, 12-13.5 s.
    /// </summary>
    public int ConcurrentListPages { get; init; } = 1;

    /// <summary>Where watch restarts are counted.</summary>
    public IInformerMetrics Metrics { get; init; } = NoopInformerMetrics.Instance;
}

/// <summary>Observes the list-watch loop (a hook for a Meter).</summary>
public interface IInformerMetrics
{
    /// <param name="resource">For example <c>deployments.apps</c>.</param>
    /// <param name="reason">error, silent, gone or expired.</param>
    void WatchRestarted(string resource, string reason);
}

public sealed class NoopInformerMetrics : IInformerMetrics
{
    public static readonly NoopInformerMetrics Instance = new();

    public void WatchRestarted(string resource, string reason)
    {
    }
}

/// <summary>Capped exponential backoff with jitter (pure).</summary>
public static class ReconnectBackoff
{
    /// <summary>
    /// <c>min(max, initial * 2^attempt)</c>, then "equal jitter": half of it fixed and half random,
    /// so retries spread out yet never exceed the cap. <paramref name="sample"/> is in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double sample)
    {
        var capped = Queue.ItemExponentialFailureRateLimiter.Backoff(initial, max, attempt);
        return TimeSpan.FromTicks((capped.Ticks / 2) + (long)(capped.Ticks / 2 * sample));
    }
}
