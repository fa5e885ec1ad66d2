namespace Kuroku.Runtime.Queue;

/// <summary>
/// A rate-limited, delaying work queue of string keys (<c>namespace/name</c>) with client-go's
/// guarantees (<c>util/workqueue</c>):
/// <list type="bullet">
/// <item>adding a key that is already waiting does nothing (adds collapse);</item>
/// <item>a key handed to a worker is not handed to another until <see cref="Done"/>; if it is added
/// meanwhile, it is queued again when <see cref="Done"/> is called;</item>
/// <item><see cref="GetAsync"/> waits for a key or for shutdown;</item>
/// <item><see cref="AddAfter"/> and <see cref="AddRateLimited"/> add later, on the injected clock.</item>
/// </list>
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly IRateLimiter rateLimiter;
    private readonly IWorkQueueMetrics metrics;

    // Keys waiting to be handed out, in order; 'dirty' holds the same keys plus keys re-added while processing.
    private readonly LinkedList<string> queue = new();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> addedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> startedAt = new(StringComparer.Ordinal);
    private readonly LinkedList<TaskCompletionSource<string?>> waiters = new();

    // Delayed adds: the earliest time each key becomes ready, and one timer armed for the earliest of all.
    private readonly Dictionary<string, DateTimeOffset> delayed = new(StringComparer.Ordinal);
    private readonly ITimer timer;
    private DateTimeOffset? timerDue;

    private TaskCompletionSource? drained;
    private bool shuttingDown;

    public WorkQueue(string name, TimeProvider time, IRateLimiter rateLimiter, IWorkQueueMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(rateLimiter);
        Name = name;
        this.time = time;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics ?? NoopWorkQueueMetrics.Instance;
        timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name { get; }

    /// <summary>How many keys wait to be handed out (not counting delayed ones).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>How many keys are waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (gate)
            {
                return delayed.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (gate)
            {
                return shuttingDown;
            }
        }
    }

    /// <summary>Adds the key now. Collapses with a waiting copy; re-queued after Done if being processed.</summary>
    public void Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int depth;
        lock (gate)
        {
            if (shuttingDown || !dirty.Add(key))
            {
                return;
            }

            addedAt[key] = time.GetTimestamp();
            if (processing.Contains(key))
            {
                return;
            }

            Enqueue(key);
            depth = queue.Count;
        }

        metrics.Added(Name);
        metrics.DepthChanged(Name, depth);
    }

    /// <summary>Adds the key once the delay has passed; a zero or negative delay adds now.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            var due = time.GetUtcNow() + delay;
            if (delayed.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            delayed[key] = due;
            ArmTimer();
        }
    }

    /// <summary>Adds the key after the delay the rate limiter decides (one more failure for it).</summary>
    public void AddRateLimited(string key)
    {
        metrics.Retried(Name);
        AddAfter(key, rateLimiter.When(key));
    }

    /// <summary>The key succeeded: its next failure backs off from the start again.</summary>
    public void Forget(string key) => rateLimiter.Forget(key);

    public int NumRequeues(string key) => rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for the next key and marks it as processing. Returns null once the queue shuts down and
    /// has nothing left to hand out.
    /// </summary>
    public Task<string?> GetAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<string?> waiter;
        string? key = null;
        TimeSpan waited = default;
        int depth = 0;
        lock (gate)
        {
            if (queue.Count > 0)
            {
                key = TakeFirst(out waited);
                depth = queue.Count;
            }
            else if (shuttingDown)
            {
                return Task.FromResult<string?>(null);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                waiter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                var node = waiters.AddLast(waiter);
                if (cancellationToken.CanBeCanceled)
                {
                    var registration = cancellationToken.Register(() =>
                    {
                        lock (gate)
                        {
                            if (node.List is not null)
                            {
                                waiters.Remove(node);
                            }
                        }

                        waiter.TrySetCanceled(cancellationToken);
                    });
                    _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                return waiter.Task;
            }
        }

        metrics.DepthChanged(Name, depth);
        metrics.Waited(Name, waited);
        return Task.FromResult<string?>(key);
    }

    /// <summary>The worker is finished with the key; if it was added meanwhile, it is queued again.</summary>
    public void Done(string key)
    {
        TimeSpan? held = null;
        lock (gate)
        {
            if (!processing.Remove(key))
            {
                return;
            }

            if (startedAt.Remove(key, out var started))
            {
                held = time.GetElapsedTime(started);
            }

            if (dirty.Contains(key))
            {
                Enqueue(key);
            }

            if (processing.Count == 0)
            {
                drained?.TrySetResult();
            }
        }

        if (held is { } duration)
        {
            metrics.Processed(Name, duration);
        }
    }

    /// <summary>Stops handing out keys at once: waiting GetAsync calls return null, adds are ignored.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<string?>> release;
        lock (gate)
        {
            shuttingDown = true;
            release = [.. waiters];
            waiters.Clear();
            delayed.Clear();
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            timerDue = null;
            queue.Clear();
        }

        foreach (var waiter in release)
        {
            waiter.TrySetResult(null);
        }
    }

    /// <summary>
    /// Shuts down, then waits until every key handed out has been marked Done, or the bound passes.
    /// Returns true when all in-flight keys finished.
    /// </summary>
    public async Task<bool> ShutDownWithDrainAsync(TimeSpan bound, CancellationToken cancellationToken = default)
    {
        Task wait;
        lock (gate)
        {
            drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (processing.Count == 0)
            {
                drained.TrySetResult();
            }

            wait = drained.Task;
        }

        ShutDown();
        try
        {
            await wait.WaitAsync(bound, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        ShutDown();
        timer.Dispose();
    }

    // Called with the lock held: hand the key to a waiting worker or put it at the end of the queue.
    private void Enqueue(string key)
    {
        while (waiters.First is { } first)
        {
            waiters.RemoveFirst();
            dirty.Remove(key);
            processing.Add(key);
            var now = time.GetTimestamp();
            startedAt[key] = now;
            if (first.Value.TrySetResult(key))
            {
                addedAt.Remove(key);
                return;
            }

            processing.Remove(key);
            startedAt.Remove(key);
            dirty.Add(key);
        }

        queue.AddLast(key);
    }

    // Called with the lock held.
    private string TakeFirst(out TimeSpan waited)
    {
        var key = queue.First!.Value;
        queue.RemoveFirst();
        dirty.Remove(key);
        processing.Add(key);
        var now = time.GetTimestamp();
        startedAt[key] = now;
        waited = addedAt.Remove(key, out var added) ? time.GetElapsedTime(added, now) : TimeSpan.Zero;
        return key;
    }

    // Called with the lock held: arm the timer for the earliest delayed key.
    private void ArmTimer()
    {
        if (delayed.Count == 0)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            timerDue = null;
            return;
        }

        var earliest = delayed.Values.Min();
        if (timerDue == earliest)
        {
            return;
        }

        timerDue = earliest;
        var wait = earliest - time.GetUtcNow();
        timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<string> ready = [];
        lock (gate)
        {
            timerDue = null;
            var now = time.GetUtcNow();
            foreach (var (key, due) in delayed)
            {
                if (due <= now)
                {
                    ready.Add(key);
                }
            }

            ready.Sort((a, b) =>
            {
                var byDue = delayed[a].CompareTo(delayed[b]);
                return byDue != 0 ? byDue : string.CompareOrdinal(a, b);
            });
            foreach (var key in ready)
            {
                delayed.Remove(key);
            }

            ArmTimer();
        }

        foreach (var key in ready)
        {
            Add(key);
        }
    }
}
