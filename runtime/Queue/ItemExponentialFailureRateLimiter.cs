namespace Kuroku.Runtime.Queue;

/// <summary>
/// Per-item exponential backoff: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>
/// (client-go's <c>ItemExponentialFailureRateLimiter</c>). The first failure waits <c>baseDelay</c>.
/// </summary>
public sealed class ItemExponentialFailureRateLimiter : IRateLimiter
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;

    public ItemExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public TimeSpan When(string item)
    {
        int exponent;
        lock (gate)
        {
            failures.TryGetValue(item, out exponent);
            failures[item] = exponent + 1;
        }

        return Backoff(baseDelay, maxDelay, exponent);
    }

    public void Forget(string item)
    {
        lock (gate)
        {
            failures.Remove(item);
        }
    }

    public int NumRequeues(string item)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(item);
        }
    }

    /// <summary><c>baseDelay * 2^exponent</c>, capped at <c>maxDelay</c>, without overflowing.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, TimeSpan maxDelay, int exponent)
    {
        if (exponent >= 62)
        {
            return maxDelay;
        }

        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
