namespace Kuroku.Runtime.Queue;

/// <summary>The longest delay any of the limiters asks for (client-go's <c>MaxOfRateLimiter</c>).</summary>
public sealed class MaxOfRateLimiter : IRateLimiter
{
    private readonly IRateLimiter[] limiters;

    public MaxOfRateLimiter(params IRateLimiter[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        ArgumentOutOfRangeException.ThrowIfZero(limiters.Length);
        this.limiters = limiters;
    }

    public TimeSpan When(string item)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > max)
            {
                max = delay;
            }
        }

        return max;
    }

    public void Forget(string item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(string item) => limiters.Max(l => l.NumRequeues(item));
}
