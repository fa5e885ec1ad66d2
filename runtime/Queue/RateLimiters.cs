namespace Kuroku.Runtime.Queue;

/// <summary>The rate limiters controllers use by default.</summary>
public static class RateLimiters
{
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);
    public const double DefaultQps = 10;
    public const int DefaultBurst = 100;

    /// <summary>
    /// client-go's <c>DefaultControllerRateLimiter</c>: the max of per-item exponential backoff
    /// (5 ms to 1000 s) and an overall token bucket (10 qps, burst 100).
    /// </summary>
    public static IRateLimiter DefaultController(TimeProvider time) =>
        new MaxOfRateLimiter(
            new ItemExponentialFailureRateLimiter(DefaultBaseDelay, DefaultMaxDelay),
            new BucketRateLimiter(DefaultQps, DefaultBurst, time));
}
