using System.Threading.RateLimiting;

namespace Kuroku.Runtime.Client;

/// <summary>Waits until a request to the API server may go (client-go's client-side rate limiter).</summary>
public interface IRequestThrottle
{
    ValueTask WaitAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A token bucket over every request a process makes to the API server (client-go's <c>QPS</c> and
/// <c>Burst</c>): up to <c>burst</c> requests at once, then <c>qps</c> per second on average. The API
/// server has its own fairness (API Priority and Fairness); this keeps one operator from being the
/// reason it is needed.
/// </summary>
public sealed class RequestThrottle : IRequestThrottle, IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly TokenBucketRateLimiter limiter;

    public RequestThrottle(double qps, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(qps * Period.TotalSeconds)),
            ReplenishmentPeriod = Period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>No limit (tests, and tools that make a handful of requests).</summary>
    public static IRequestThrottle None { get; } = new Unlimited();

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => limiter.Dispose();

    private sealed class Unlimited : IRequestThrottle
    {
        public ValueTask WaitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
