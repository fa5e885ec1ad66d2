namespace Kuroku.Runtime.Queue;

/// <summary>
/// An overall token bucket shared by all items (client-go's <c>BucketRateLimiter</c> over
/// <c>golang.org/x/time/rate</c>): <c>burst</c> tokens, refilled at <c>qps</c> per second. Every
/// call reserves one token; when the bucket is empty the returned delay is the time until that
/// reservation is covered.
/// </summary>
public sealed class BucketRateLimiter : IRateLimiter
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly double qps;
    private readonly double burst;
    private double tokens;
    private long last;

    public BucketRateLimiter(double qps, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(qps, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(time);
        this.qps = qps;
        this.burst = burst;
        this.time = time;
        tokens = burst;
        last = time.GetTimestamp();
    }

    public TimeSpan When(string item)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(last, now);
            last = now;
            tokens = Math.Min(burst, tokens + (elapsed.TotalSeconds * qps));
            tokens -= 1;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / qps);
        }
    }

    public void Forget(string item)
    {
    }

    public int NumRequeues(string item) => 0;
}
